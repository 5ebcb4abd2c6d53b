import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../shared/cli/runCli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI command in-process with captured output, its own environment and working directory. */
export async function runCliCapture(
  argv: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string | Readable; now?: Date } = {},
): Promise<CliRun> {
  const capture = () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const out = capture();
  const err = capture();
  const code = await runCli(argv, {
    stdin: typeof options.stdin === 'object' ? options.stdin : Readable.from([Buffer.from(options.stdin ?? '')]),
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? new URL('../..', import.meta.url).pathname,
    ...(options.now ? { now: () => options.now! } : {}),
  });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}
