/** A 2xx status: the server answered the request itself (not a redirect, an error or no answer at all). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
