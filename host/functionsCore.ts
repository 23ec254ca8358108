/**
 * Stand-in for the worker's virtual module `@azure/functions-core`.
 *
 * In Azure the Functions worker provides this module; `@azure/functions` registers every
 * `app.http(...)`, `app.timer(...)` and `df.app.*` call through it. Outside the worker the
 * library drops registrations ("test mode"). Serving this module ourselves (see `installCore`)
 * captures the real registrations, so the local host runs the same definitions as Azure.
 */

/** Binding as the library describes it (`RpcBindingInfo` in the worker protocol). */
export interface CoreBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  [setting: string]: unknown;
}

export interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, CoreBinding>;
  retryOptions?: unknown;
  [key: string]: unknown;
}

/** Typed data on the worker wire (`RpcTypedData`): exactly one member is set. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  http?: unknown;
  int?: number;
  double?: number;
}

export interface RpcInvocationRequest {
  invocationId: string;
  functionId: string;
  inputData: { name: string; data: RpcTypedData }[];
  triggerMetadata: Record<string, RpcTypedData>;
}

export interface RpcInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: RpcTypedData }[];
  returnValue?: (RpcTypedData & { http?: RpcHttpResponse }) | null;
}

export interface RpcHttpResponse {
  statusCode?: string | number;
  headers?: Record<string, string>;
  cookies?: unknown[];
  body?: RpcTypedData;
}

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type LogSink = (level: LogLevel, category: string, message: string) => void;

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: CoreFunctionMetadata;
  state?: string;
  log: LogSink;
}

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
  /** Called once after the app is loaded; with `enableHttpStream` it answers `HttpUri` (its HTTP proxy). */
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: { hookData?: Record<string, unknown> }) => unknown;

export interface RegisteredFunction {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
  /** The trigger binding's name and settings. */
  triggerName: string;
  trigger: CoreBinding;
}

interface Disposable {
  dispose(): void;
}

const functions = new Map<string, RegisteredFunction>();
const hooks = new Map<string, HookCallback[]>();
let programmingModel: ProgrammingModel | undefined;
let logSink: LogSink = (level, _category, message) => {
  const write = level === 'error' || level === 'critical' ? console.error : console.log;
  write(message);
};

// ---- the worker API the library calls ----

export function setProgrammingModel(model: ProgrammingModel): void {
  programmingModel = model;
}

export function getProgrammingModel(): ProgrammingModel | undefined {
  return programmingModel;
}

export function registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
  if (functions.has(metadata.name)) {
    throw new Error(`A function named "${metadata.name}" is already registered.`);
  }
  const trigger = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type));
  if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  functions.set(metadata.name, { metadata, callback, triggerName: trigger[0], trigger: trigger[1] });
  return { dispose: () => functions.delete(metadata.name) };
}

export function registerHook(hookName: string, callback: HookCallback): Disposable {
  const list = hooks.get(hookName) ?? [];
  list.push(callback);
  hooks.set(hookName, list);
  return {
    dispose: () =>
      hooks.set(
        hookName,
        (hooks.get(hookName) ?? []).filter((c) => c !== callback),
      ),
  };
}

export function log(level: LogLevel, category: string, message: string): void {
  logSink(level, category, message);
}

// ---- what the local host and tests use ----

export function registeredFunctions(): ReadonlyMap<string, RegisteredFunction> {
  return functions;
}

export function registeredProgrammingModel(): ProgrammingModel {
  if (!programmingModel) throw new Error('No function was registered: @azure/functions never loaded.');
  return programmingModel;
}

/** Runs the hooks registered for `hookName` (e.g. `appStart`), in registration order. */
export async function runHooks(hookName: string): Promise<void> {
  for (const hook of hooks.get(hookName) ?? []) {
    await hook({ hookData: {} });
  }
}

export function setLogSink(sink: LogSink): void {
  logSink = sink;
}
