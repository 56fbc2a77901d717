/**
 * A Dockerfile read as instructions, enough to check one statically where no Docker engine runs:
 * its stages, the user and health check of the stage that ships, and what COPY takes from the
 * build context. Continuation lines are joined, comments and blank lines dropped; `${VAR}` and
 * `${VAR:-x}` are left as written.
 */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface CopyFromContext {
  sources: string[];
  line: number;
}

export interface Stage {
  name?: string;
  image: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (pending !== '' && line.startsWith('#')) continue;
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const joined = (pending + line).trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(joined)!;
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: startLine });
  }
  return instructions;
}

/** Options (`--from=x`, `--chown=a:b`) and the remaining words of an instruction. */
export function splitFlags(args: string): { flags: Record<string, string>; words: string[] } {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  for (const word of args.split(/\s+/).filter((part) => part !== '')) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    if (flag !== null && words.length === 0) flags[flag[1]!] = flag[2] ?? 'true';
    else words.push(word);
  }
  return { flags, words };
}

export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const { words } = splitFlags(instruction.args);
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        image: words[0]!,
        ...(asIndex >= 0 ? { name: words[asIndex + 1]! } : {}),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The sources of every COPY/ADD that reads the build context (not another stage). */
export function contextCopies(instructions: Instruction[]): CopyFromContext[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => ({ instruction, ...splitFlags(instruction.args) }))
    .filter(({ flags }) => flags.from === undefined)
    .map(({ instruction, words }) => ({ sources: words.slice(0, -1), line: instruction.line }));
}

/** The user the last stage runs as, `undefined` when it never sets one (root). */
export function finalUser(stages: Stage[]): string | undefined {
  const users = (stages.at(-1)?.instructions ?? []).filter((instruction) => instruction.keyword === 'USER');
  return users.at(-1)?.args.trim();
}

/** True for `root`, `0` and `0:<group>` or `root:<group>`. */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return true;
  const name = user.split(':')[0]!;
  return name === 'root' || name === '0';
}
