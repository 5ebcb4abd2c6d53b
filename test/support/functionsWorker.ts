import Module from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stands in for the Azure Functions Node worker: provides the `@azure/functions-core` module the worker
 * injects, records what the app registers, and invokes a function through the library's own invocation
 * model — the same conversion of RPC input (PascalCase timer payload → camelCase) the real worker runs.
 */
export interface Registration {
  metadata: { name: string; bindings: Record<string, Record<string, unknown>>; [key: string]: unknown };
  callback: (...args: unknown[]) => unknown;
}

/** The RPC TypedData shapes the host sends (the subset used here). */
export type RpcTypedData =
  | { json: string }
  | { string: string }
  | { collectionBytes: { bytes: Uint8Array[] } }
  | { collectionString: { string: string[] } }
  | { collectionSint64: { sint64: number[] } };

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
      return invoke(name, { json: JSON.stringify(payload) }, {});
    },
    /**
     * Runs a registered Event Hubs function (cardinality many, dataType binary) as the worker would: the
     * bodies as the host's collectionBytes, and the host's trigger metadata (see eventHubTriggerMetadata).
     */
    async invokeEventHub(name: string, bodies: Buffer[], triggerMetadata: Record<string, RpcTypedData>, invocationId?: string): Promise<unknown> {
      return invoke(name, { collectionBytes: { bytes: bodies.map((b) => new Uint8Array(b)) } }, triggerMetadata, invocationId);
    },
  };

  async function invoke(name: string, data: RpcTypedData, triggerMetadata: Record<string, RpcTypedData>, invocationId = 'test-invocation-1'): Promise<unknown> {
    const registration = registrations.find((r) => r.metadata.name === name);
    if (!registration || !model) throw new Error(`function ${name} is not registered`);
    const [bindingName] = Object.keys(registration.metadata.bindings);
    const invocation = model.getInvocationModel({
      invocationId,
      metadata: { name, bindings: registration.metadata.bindings },
      request: { inputData: [{ name: bindingName, data }], triggerMetadata },
      state: 'invocation',
      log: (level: string, category: string, message: string) => logs.push({ level, category, message }),
    });
    const { context, inputs } = await invocation.getArguments();
    return invocation.invokeFunction(context, inputs, registration.callback);
  }
}

/**
 * Loads a function app folder as the worker does at indexing time: reads `main` from its package.json,
 * expands it as a glob (`*` within one path segment, which is what `dist/functions/*.js` needs) and
 * requires each file from the folder itself, so `@azure/functions` and every other dependency resolve
 * from the folder's own node_modules. Returns the files loaded, relative to the folder.
 */
export function loadFunctionApp(appDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { main?: string };
  if (!manifest.main) throw new Error(`${appDir}/package.json has no "main"`);
  const files = expandGlob(appDir, manifest.main);
  if (files.length === 0) throw new Error(`"main" ${manifest.main} matches no file in ${appDir}: the host would find zero functions`);
  const requireFromApp = Module.createRequire(join(appDir, 'package.json'));
  for (const file of files) requireFromApp(join(appDir, file));
  return files;
}

function expandGlob(root: string, pattern: string): string[] {
  let matches = [''];
  for (const segment of pattern.split('/')) {
    const re = new RegExp(`^${segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}$`);
    matches = matches.flatMap((prefix) => {
      const dir = join(root, prefix);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
      return readdirSync(dir).filter((name) => re.test(name)).map((name) => (prefix === '' ? name : `${prefix}/${name}`));
    });
  }
  return matches.sort();
}
