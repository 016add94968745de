import { spawnSync } from 'node:child_process';
import { relative, sep } from 'node:path';

export const DEFAULT_BASE_REF = 'origin/main';

export interface BaseRefChoice {
  readonly ref: string;
  /** Asked for by flag or environment: a missing ref is then a misconfiguration, not a fresh clone. */
  readonly explicit: boolean;
}

/** `--base <ref>` wins over `SCHEMA_BASE_REF`, which wins over `origin/main`. */
export function chooseBaseRef(flag: string | undefined, env: string | undefined): BaseRefChoice {
  if (flag) return { ref: flag, explicit: true };
  if (env) return { ref: env, explicit: true };
  return { ref: DEFAULT_BASE_REF, explicit: false };
}

export type BaseSupergraph =
  | { readonly kind: 'found'; readonly ref: string; readonly commit: string; readonly sdl: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** Reads the supergraph committed at the base ref with `git show <ref>:<path>`. */
export function readBaseSupergraph(
  cwd: string,
  supergraphFile: string,
  choice: BaseRefChoice,
): BaseSupergraph {
  const { ref, explicit } = choice;
  const commit = git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok) {
    const why = git(cwd, ['rev-parse', '--git-dir']).ok
      ? `the ref "${ref}" does not exist in this clone`
      : `${cwd} is not a git repository`;
    return explicit
      ? {
          kind: 'failed',
          reason: `Cannot check breaking changes: ${why}. Fetch it or pass another --base.`,
        }
      : {
          kind: 'skipped',
          reason: `Breaking-change check skipped: ${why} (pass --base <ref> or set SCHEMA_BASE_REF to compare with another ref).`,
        };
  }
  // "./" makes git resolve the path from cwd rather than from the repository root.
  const path = `./${relative(cwd, supergraphFile).split(sep).join('/')}`;
  const show = git(cwd, ['show', `${commit.stdout.trim()}:${path}`]);
  if (!show.ok) {
    return {
      kind: 'skipped',
      reason: `Breaking-change check skipped: ${ref} has no ${path.slice(2)} yet, so there is no API to break.`,
    };
  }
  return { kind: 'found', ref, commit: commit.stdout.trim(), sdl: show.stdout };
}

function git(cwd: string, args: string[]): { ok: true; stdout: string } | { ok: false } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) return { ok: false };
  return { ok: true, stdout: result.stdout };
}
