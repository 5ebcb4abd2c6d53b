import Module from 'node:module';

/**
 * Stands in for the Azure Functions Node worker: provides the `@azure/functions-core` module the worker
 * injects, records what the app registers, and invokes a function through the library's own invocation
 * model — the same conversion of RPC input (PascalCase timer payload → camelCase) the real worker runs.
 */
export interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>>; [key: string]: unknown };
  callback: (...args: unknown[]) => unknown;
}

interface ProgrammingModel {
  getInvocationModel(coreCtx: unknown): {
    getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
    invokeFunction(context: unknown, inputs: unknown[], handler: unknown): Promise<unknown>;
  };
}

export function installFunctionsWorker() {
  const registrations: Registration[] = [];
  const logs: { level: string; category: string; message: string }[] = [];
  let model: ProgrammingModel | null = null;
  const core = {
    version: '3.10.1',
    registerFunction: (metadata: Registration['metadata'], callback: Registration['callback']) => {
      registrations.push({ metadata, callback });
      return { dispose: () => {} };
    },
    setProgrammingModel: (m: ProgrammingModel) => (model = m),
    getProgrammingModel: () => model,
    registerHook: () => ({ dispose: () => {} }),
    Disposable: class {},
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === '@azure/functions-core') return core;
    return originalLoad.call(this, request, ...rest);
  };

  return {
    registrations,
    logs,
    uninstall: () => (loader._load = originalLoad),
    /** Runs a registered timer function as the worker would, with the host's timer payload. */
    async invokeTimer(name: string, payload: Record<string, unknown>): Promise<unknown> {
      const registration = registrations.find((r) => r.metadata.name === name);
      if (!registration || !model) throw new Error(`function ${name} is not registered`);
      const [bindingName] = Object.keys(registration.metadata.bindings);
      const invocation = model.getInvocationModel({
        invocationId: 'test-invocation-1',
        metadata: { name, bindings: registration.metadata.bindings },
        request: { inputData: [{ name: bindingName, data: { json: JSON.stringify(payload) } }], triggerMetadata: {} },
        state: 'invocation',
        log: (level: string, category: string, message: string) => logs.push({ level, category, message }),
      });
      const { context, inputs } = await invocation.getArguments();
      return invocation.invokeFunction(context, inputs, registration.callback);
    },
  };
}
