/**
 * The parser process (forked by UploadParserPool): parses one upload at a time, for as long as
 * the pool lets it. It runs as compiled JavaScript only (dist/), like the app.
 */
import { AppError, ensureError } from '../../core/errors';
import { maxWorkflowDataBytes } from '../../domain/exportRecords';
import { parseUpload } from './parsers';
import { isParseRequest, isWorkerSettings, type ParseReply, type ReadySignal } from './workerProtocol';

const send = process.send?.bind(process);
const settings: unknown = JSON.parse(process.argv[2] ?? 'null');
if (!send || !isWorkerSettings(settings)) {
  throw new Error('parseWorker runs as a child process forked by UploadParserPool.');
}
const maxInflatedBytes = settings.maxInflatedBytes;

/**
 * A warm process parses many users' files, so one file must not change how the next is read.
 * Freezing the prototypes every parsed value inherits from makes prototype pollution (the kind
 * SheetJS 0.18.5 is open to, CVE-2023-30533) fail instead of carrying over. Error prototypes
 * stay open: errors assign their own `name`, which a frozen prototype would forbid.
 */
for (const intrinsic of [Object, Array, Function, String, Number, Boolean]) {
  Object.freeze(intrinsic.prototype);
}

function reply(request: unknown): ParseReply {
  try {
    if (!isParseRequest(request)) throw new Error('parseWorker received a malformed request.');
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    const json = JSON.stringify(parseUpload(request.kind, bytes, maxInflatedBytes));
    // Checked here, not after the data crossed over: a 25 MB JSON upload must not be parsed
    // again on the app's event loop only to be refused.
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

process.on('message', (request: unknown) => send(reply(request)));
// The pool owns this process: when its channel closes (the app stopped), so does the process.
process.on('disconnect', () => process.exit(0));
const ready: ReadySignal = { ready: true };
send(ready);
