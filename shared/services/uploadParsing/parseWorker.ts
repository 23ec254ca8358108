/**
 * The parsing worker (a worker thread; see parserPool.ts): parses one upload at a time, as long
 * as the pool lets it. It runs as compiled JavaScript only (dist/), like the app.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, ensureError } from '../../core/errors';
import { maxWorkflowDataBytes } from '../../domain/exportRecords';
import { parseUpload } from './parsers';
import { isParseRequest, isWorkerSettings, type ParseReply, type ReadySignal } from './workerProtocol';

const port = parentPort;
if (!port || !isWorkerSettings(workerData)) {
  throw new Error('parseWorker runs as a worker thread started by UploadParserPool.');
}
const settings = workerData;

/**
 * A warm worker parses many users' files, so one file must not change how the next is read.
 * Freezing the prototypes every parsed value inherits from makes prototype pollution (the kind
 * SheetJS 0.18.5 is open to, CVE-2023-30533) fail instead of carrying over. Error prototypes
 * stay open: errors assign their own `name`, which a frozen prototype would forbid.
 */
for (const intrinsic of [Object, Array, Function, String, Number, Boolean])
  Object.freeze(intrinsic.prototype);

function reply(request: unknown): ParseReply {
  try {
    if (!isParseRequest(request)) throw new Error('parseWorker received a malformed request.');
    const data = parseUpload(request.kind, Buffer.from(request.bytes), settings.maxInflatedBytes);
    const json = JSON.stringify(data);
    // Checked here, not after the data crossed over: a 25 MB JSON upload must not be parsed
    // again on the event loop only to be refused.
    const size = Buffer.byteLength(json);
    if (size > maxWorkflowDataBytes) {
      throw new AppError(
        'payload_too_large',
        `The file yields ${size} bytes of data; a document holds at most ${maxWorkflowDataBytes}.`,
      );
    }
    return { ok: true, json };
  } catch (thrown) {
    if (thrown instanceof AppError) {
      return { ok: false, refusal: { code: thrown.code, message: thrown.message, details: thrown.details } };
    }
    const error = ensureError(thrown);
    return { ok: false, fault: error.stack ?? error.message };
  }
}

port.on('message', (request: unknown) => port.postMessage(reply(request)));
const ready: ReadySignal = { ready: true };
port.postMessage(ready);
