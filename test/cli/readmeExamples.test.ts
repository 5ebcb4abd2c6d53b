import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../shared/cli/commands';
import { parseArgs } from '../../shared/cli/parseArgs';
import { runCliCapture } from '../support/runCliCapture';

/**
 * The README's (and the notifications guide's) shell examples, as a newcomer pastes them into a fresh
 * clone: every `npx pgaudit-alerts` line uses options its command accepts, quotes what zsh would expand,
 * and — when it needs no Azure account — runs and exits 0 on the bundled files it names.
 */
interface Example {
  file: string;
  line: string;
  argv: string[];
  stdinFile: string | null;
  unquotedGlob: string[];
}

const examples: Example[] = ['README.md', 'docs/notifications.md'].flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .flatMap((m) => m[1]!.split('\n'))
    .filter((line) => /(^|\| )npx pgaudit-alerts /.test(line))
    .map((line) => toExample(file, line)));

function toExample(file: string, line: string): Example {
  const words = shellWords(line);
  let stdinFile: string | null = null;
  if (words[0]?.text === 'cat' && words[2]?.text === '|') {
    stdinFile = words[1]!.text;
    words.splice(0, 3);
  }
  const redirect = words.findIndex((w) => w.text === '>' && !w.quoted);
  const command = redirect >= 0 ? words.slice(0, redirect) : words;
  expect(command.slice(0, 2).map((w) => w.text), line).toEqual(['npx', 'pgaudit-alerts']);
  return {
    file, line, stdinFile,
    argv: command.slice(2).map((w) => w.text),
    unquotedGlob: command.filter((w) => !w.quoted && /[*?[\]{}]/.test(w.text)).map((w) => w.text),
  };
}

/** POSIX-shell words: single and double quotes, `#` comments, `|` and `>` as their own words. */
function shellWords(line: string): { text: string; quoted: boolean }[] {
  const words: { text: string; quoted: boolean }[] = [];
  let current: { text: string; quoted: boolean } | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      current ??= { text: '', quoted: false };
      current.text += line.slice(i + 1, end);
      current.quoted = true;
      i = end;
    } else if (c === ' ') {
      if (current) words.push(current);
      current = null;
    } else if (c === '#' && current === null) {
      break;
    } else if ((c === '|' || c === '>') && current === null) {
      words.push({ text: c, quoted: false });
    } else {
      current ??= { text: '', quoted: false };
      current.text += c;
    }
  }
  if (current) words.push(current);
  return words;
}

/** Examples that need no Azure account or Slack: they read a file and print. */
function runsOffline(e: Example): boolean {
  const [name] = e.argv;
  return name === 'parse' || name === 'check-rules' || (name === 'scan' && e.argv.includes('--input') && e.argv.includes('--dry-run'))
    || (name === 'doctor' && e.argv.includes('--input'));
}

describe('README examples', () => {
  it('are found', () => {
    expect(examples.filter(runsOffline).length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((e) => [e.line, e] as const))('%s', async (_line, example) => {
    expect(example.unquotedGlob, 'zsh would expand these: quote them').toEqual([]);
    const [name, ...rest] = example.argv;
    const command = commands[name!];
    expect(command, `${name} is a command`).toBeDefined();
    expect(() => parseArgs(command!.spec, rest)).not.toThrow();
    if (!runsOffline(example)) return;
    const run = await runCliCapture(example.argv, example.stdinFile ? { stdin: createReadStream(example.stdinFile) } : {});
    expect(run.stderr, example.line).not.toMatch(/^pgaudit-alerts .*: /m);
    // doctor exits 1 on purpose on the fixture of a server that logs too little (the README shows why).
    const expected = name === 'doctor' && example.argv.some((a) => a.includes('fixtures/doctor/')) ? 1 : 0;
    expect(run.code, run.stderr).toBe(expected);
    expect(run.stdout.length + run.stderr.length).toBeGreaterThan(0);
  });

  it('name npm scripts that exist', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const readme = readFileSync('README.md', 'utf8');
    const named = [...readme.matchAll(/npm run ([a-z-]+)/g)].map((m) => m[1]!);
    expect(named).toContain('package');
    for (const name of named) expect(Object.keys(scripts), name).toContain(name);
    expect(scripts.start).toMatch(/^npm run build && /);
  });
});
