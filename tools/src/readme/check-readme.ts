import type { z } from 'zod';

/**
 * What the README promises, read from its code spans: environment variables
 * (`NAME=value`, or a bare `NAME`), `npm run` scripts, and the launch lines of
 * its Modes table. `checkReadme` holds them against the code.
 */
export interface DocumentedVariable {
  readonly name: string;
  /** Undefined for a bare name, or a placeholder such as `…`. */
  readonly value?: string;
}

export interface DocumentedScript {
  readonly script: string;
  /** `-w <workspace>`; the root package otherwise. */
  readonly workspace?: string;
}

/** One Modes-table launch: the variables it sets and the command it runs. */
export interface LaunchLine {
  readonly mode: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly command: string;
}

const codeSpans = (markdown: string): string[] =>
  [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map(
    (match) => match[1] ?? '',
  );

const VARIABLE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const ASSIGNMENT = /(?:^|\s)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)=(\S*)/g;
const PLACEHOLDER = /^(…|\.\.\.|<[^>]*>)$/;

export const documentedVariables = (markdown: string): DocumentedVariable[] => {
  const found = new Map<string, DocumentedVariable>();
  for (const span of codeSpans(markdown)) {
    if (VARIABLE.test(span)) {
      if (!found.has(span)) found.set(span, { name: span });
      continue;
    }
    for (const [, name = '', value = ''] of span.matchAll(ASSIGNMENT)) {
      const documented = PLACEHOLDER.test(value) ? { name } : { name, value };
      found.set(`${name}=${value}`, documented);
    }
  }
  return [...found.values()];
};

export const documentedScripts = (markdown: string): DocumentedScript[] => {
  const found = new Map<string, DocumentedScript>();
  // Scripts in code blocks count too.
  for (const [, script = '', workspace] of markdown.matchAll(
    /npm run ([\w:.-]+)(?:\s+-w\s+([\w./-]+))?/g,
  )) {
    found.set(`${workspace ?? ''} ${script}`, {
      script,
      ...(workspace ? { workspace } : {}),
    });
  }
  for (const [, builtIn = ''] of markdown.matchAll(/npm (start|test)\b/g))
    found.set(` ${builtIn}`, { script: builtIn });
  return [...found.values()];
};

/**
 * The Modes table's launch lines. A cell may add workspaces in their own code
 * spans (`subgraphs/crypto`) to run the same command in each; a span that is
 * not a command or a workspace is ignored. `isWorkspace` tells the two apart.
 */
export const launchLines = (
  markdown: string,
  isWorkspace: (name: string) => boolean,
): LaunchLine[] => {
  const section = /^## Modes\n([\s\S]*?)(?=^## )/m.exec(`${markdown}\n## `)?.[1] ?? '';
  const lines: LaunchLine[] = [];
  for (const row of section.split('\n').filter((line) => line.startsWith('|'))) {
    const [mode, how] = row
      .split('|')
      .slice(1)
      .map((cell) => cell.trim());
    if (!mode || !how || /^-+$/.test(mode) || mode === 'mode') continue;
    let template: { variables: Record<string, string>; command: string } | undefined;
    for (const span of codeSpans(how)) {
      const assignments = [...span.matchAll(ASSIGNMENT)];
      const command = span.replace(ASSIGNMENT, '').trim();
      if (/^(npm|docker|node)\b/.test(command)) {
        const variables = Object.fromEntries(
          assignments.map(([, name = '', value = '']) => [name, value]),
        );
        lines.push({ mode, variables, command });
        template ??= { variables, command };
      } else if (template && isWorkspace(span)) {
        const workspace = / -w (\S+)/.exec(template.command)?.[1];
        if (workspace)
          lines.push({
            mode,
            variables: template.variables,
            command: template.command.replace(` -w ${workspace}`, ` -w ${span}`),
          });
      }
    }
  }
  return lines;
};

export interface ReadmeContext {
  /** Every configuration schema a process of the stack reads. */
  readonly configs: readonly z.ZodRawShape[];
  /** Variables read outside those schemas (tooling), by name, with the file that reads each. */
  readonly toolingVariables: Readonly<Record<string, string>>;
  /** GraphQL error codes (`extensions.code`): spelled like variables, documented as codes. */
  readonly errorCodes: readonly string[];
  /** `scriptsOf(undefined)` is the root package's scripts; otherwise the workspace's. */
  readonly scriptsOf: (
    workspace: string | undefined,
  ) => Readonly<Record<string, string>> | undefined;
}

/** Everything the README documents that the code does not support; empty when it is true. */
export const checkReadme = (markdown: string, context: ReadmeContext): string[] => {
  const problems: string[] = [];
  const schemaOf = (name: string): z.ZodType | undefined =>
    context.configs.find((shape) => name in shape)?.[name] as z.ZodType | undefined;
  for (const { name, value } of documentedVariables(markdown)) {
    const schema = schemaOf(name);
    if (!schema) {
      if (!(name in context.toolingVariables) && !context.errorCodes.includes(name))
        problems.push(`\`${name}\` is documented, but no configuration schema reads it.`);
      continue;
    }
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      problems.push(
        `\`${name}=${value}\` is documented, but the configuration refuses it: ${parsed.error.issues[0]?.message ?? ''}`,
      );
  }
  for (const { script, workspace } of documentedScripts(markdown)) {
    const scripts = context.scriptsOf(workspace);
    if (!scripts)
      problems.push(`\`-w ${workspace}\` is documented, but there is no such workspace.`);
    else if (!(script in scripts))
      problems.push(
        `\`npm run ${script}${workspace ? ` -w ${workspace}` : ''}\` is documented, but ${workspace ?? 'the root package'} has no "${script}" script.`,
      );
  }
  return problems;
};
