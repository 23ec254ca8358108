import { randomUUID } from 'node:crypto';
import {
  registeredProgrammingModel,
  type LogSink,
  type RegisteredFunction,
  type RpcInvocationResponse,
  type RpcTypedData,
} from './functionsCore';

export interface InvocationInput {
  /** Data for the trigger binding. */
  trigger: RpcTypedData;
  /** Data for extra input bindings, by binding type (e.g. `durableClient`). */
  extraInputsByType?: Record<string, RpcTypedData>;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
}

/**
 * Invokes a captured function through the library's own invocation model, so wire data is
 * converted to handler arguments (and the result back to wire data) exactly as in Azure.
 */
export async function invokeFunction(
  fn: RegisteredFunction,
  input: InvocationInput,
  log: LogSink,
): Promise<RpcInvocationResponse> {
  const invocationId = input.invocationId ?? randomUUID();
  const inputData = [{ name: fn.triggerName, data: input.trigger }];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const data = input.extraInputsByType?.[binding.type];
    if (binding.direction === 'in' && data && name !== fn.triggerName) inputData.push({ name, data });
  }
  const model = registeredProgrammingModel().getInvocationModel({
    invocationId,
    metadata: fn.metadata,
    log,
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData,
      triggerMetadata: input.triggerMetadata ?? {},
    },
  });
  const { context, inputs } = await model.getArguments();
  const result = await model.invokeFunction(context, inputs, fn.callback);
  return model.getResponse(context, result);
}

/** Decodes a typed-data return value the way the host would hand it to the Durable extension. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.json !== undefined) return JSON.parse(data.json) as unknown;
  if (data.string !== undefined) {
    try {
      return JSON.parse(data.string) as unknown;
    } catch {
      return data.string;
    }
  }
  if (data.bytes !== undefined) return Buffer.from(data.bytes);
  if (data.int !== undefined) return data.int;
  if (data.double !== undefined) return data.double;
  return undefined;
}
