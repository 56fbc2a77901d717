/** The Authorization header value for HTTP basic auth (the gateway's /system/* API). Never logged. */
export function basicAuthHeader(credentials: { user: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
}
