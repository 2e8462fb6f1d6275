/**
 * Finds a C or C++ compiler and runs it on files in a temporary directory,
 * for the tests that compile generated/c/vfio-user.h.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A compiler that answered `--version`: the command and its first line of output. */
export interface Compiler {
  readonly lang: 'c' | 'c++';
  /** The command and any arguments it came with (`CC="ccache gcc"`). */
  readonly argv: readonly string[];
  readonly version: string;
}

/** The compiler found, or why none was. */
export type CompilerLookup = { readonly found: true; readonly compiler: Compiler } | { readonly found: false; readonly reason: string };

/** Strict flags: every warning is an error, ISO C11 / C++17 with GNU extensions only where marked. */
export const STRICT_FLAGS: Readonly<Record<'c' | 'c++', readonly string[]>> = {
  c: ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic'],
  'c++': ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-pedantic'],
};

/**
 * The first of `$CC` (or `$CXX`), `gcc` (`g++`), `cc` (`c++`) that runs.
 * Nothing is cached; call once at module load.
 */
export function findCompiler(lang: 'c' | 'c++'): CompilerLookup {
  const env = lang === 'c' ? process.env['CC'] : process.env['CXX'];
  const candidates: string[][] = [];
  if (env !== undefined && env.trim() !== '') candidates.push(env.trim().split(/\s+/));
  candidates.push(lang === 'c' ? ['gcc'] : ['g++'], lang === 'c' ? ['cc'] : ['c++']);
  const tried: string[] = [];
  for (const argv of candidates) {
    const [cmd, ...rest] = argv as [string, ...string[]];
    const r = spawnSync(cmd, [...rest, '--version'], { encoding: 'utf8' });
    if (r.error === undefined && r.status === 0) {
      return { found: true, compiler: { lang, argv, version: (r.stdout.split('\n')[0] ?? '').trim() } };
    }
    tried.push(`${argv.join(' ')}: ${r.error?.message ?? `exit ${r.status ?? 'signal'}`}`);
  }
  return { found: false, reason: `no ${lang === 'c' ? 'C' : 'C++'} compiler runs (${tried.join('; ')})` };
}

/** What one compiler or program run printed. */
export interface RunResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary directory, removed by `dispose()`. */
export interface WorkDir {
  readonly path: string;
  /** Writes a file into the directory and returns its path. */
  write(name: string, text: string): string;
  dispose(): void;
}

/** Creates a temporary directory for one test. */
export function workDir(prefix: string): WorkDir {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    dispose() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

function run(cmd: string, args: readonly string[], cwd: string): RunResult {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.error === undefined && r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

/**
 * Compiles `source` with the strict flags. Without `output`, compiles only
 * (`-c` to /dev/null); with it, links an executable of that name in `dir`.
 */
export function compile(c: Compiler, dir: WorkDir, source: string, output?: string): RunResult {
  const [cmd, ...rest] = c.argv as [string, ...string[]];
  const out = output === undefined ? ['-c', '-o', '/dev/null'] : ['-o', join(dir.path, output)];
  return run(cmd, [...rest, ...STRICT_FLAGS[c.lang], '-I', dir.path, ...out, source], dir.path);
}

/** Runs an executable built in `dir`. */
export function execute(dir: WorkDir, name: string): RunResult {
  return run(join(dir.path, name), [], dir.path);
}
