import Module from 'node:module';

/**
 * Makes `require('@azure/functions-core')` resolve to our stand-in, as the Functions worker does
 * for its own virtual module. Must run before `@azure/functions` is first loaded.
 */
export function installFunctionsCore(): void {
  const shimPath = require.resolve('./functionsCore');
  const loader = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolve(request: string, ...rest: unknown[]): string {
    if (request === '@azure/functions-core') return shimPath;
    return original.call(this, request, ...rest);
  };
}
