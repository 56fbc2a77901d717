/**
 * The request as environment variables, the classic watchdog's `cgi_headers` (handler.go,
 * getAdditionalEnvs): every header as `Http_<Canonical_Name>` with its first value, then
 * `Http_Method`, `Http_ContentLength` and `Http_Content_Length`, `Http_Transfer_Encoding` when
 * present, `Http_Query` and `Http_Path` when not empty, and `Http_Host`.
 */

/**
 * Go's textproto.CanonicalMIMEHeaderKey: the first letter and every letter after a hyphen upper
 * case, the others lower case (`x-call-id` -> `X-Call-Id`). A name holding a character that is not
 * a header token character is left as it is, as Go does.
 */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  let upper = true;
  let out = '';
  for (const char of name) {
    out += upper ? char.toUpperCase() : char.toLowerCase();
    upper = char === '-';
  }
  return out;
}

/** `X-Call-Id` -> `Http_X_Call_Id`: the variable a header becomes (hyphens to underscores). */
export function headerEnvName(name: string): string {
  return `Http_${canonicalHeaderKey(name).replaceAll('-', '_')}`;
}

export interface RequestFacts {
  method: string;
  /** The path as Go's URL.Path has it: percent-decoded. */
  path: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  host: string;
  /** The body length Go reports: the Content-Length, -1 when chunked, 0 when there is no body. */
  contentLength: number;
  transferEncoding?: string;
  /** Header names with their first values, in the order received; Host and Transfer-Encoding excluded (Go keeps them apart). */
  headers: [string, string][];
}

/** The variables a request adds to the function process's environment. */
export function cgiEnv(request: RequestFacts): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const key = headerEnvName(name);
    // Two names that differ only by `-` and `_` (X-Foo, X_Foo) meet in one variable: the first wins.
    if (!(key in env)) env[key] = value;
  }
  env.Http_Method = request.method;
  env.Http_ContentLength = String(request.contentLength);
  env.Http_Content_Length = String(request.contentLength);
  if (request.transferEncoding !== undefined && request.transferEncoding !== '')
    env.Http_Transfer_Encoding = request.transferEncoding;
  if (request.rawQuery !== '') env.Http_Query = request.rawQuery;
  if (request.path !== '') env.Http_Path = request.path;
  if (request.host !== '') env.Http_Host = request.host;
  return env;
}

/** Go's URL.Path from a request target: the part before `?`, percent-decoded when that is valid. */
export function splitRequestTarget(target: string): { path: string; rawQuery: string } {
  const mark = target.indexOf('?');
  const rawPath = mark < 0 ? target : target.slice(0, mark);
  const rawQuery = mark < 0 ? '' : target.slice(mark + 1);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Go refuses such a request with 400 before the handler runs; passing it on raw is kinder.
  }
  return { path, rawQuery };
}
