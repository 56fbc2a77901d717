/**
 * Environment substitution in stack files, as faas-cli does it before parsing (its `--envsubst`,
 * on by default): `${VAR}`, `${VAR:-default}` (default when unset or empty), `${VAR-default}`
 * (default when unset), `$VAR`, and `$$` for a literal dollar sign.
 */
const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export function substituteEnvironment(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    pattern,
    (match, braced?: string, operator?: string, fallback?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = braced ?? bare!;
      const value = env[name];
      if (operator === ':-') return value === undefined || value === '' ? fallback! : value;
      if (operator === '-') return value === undefined ? fallback! : value;
      return value ?? '';
    },
  );
}
