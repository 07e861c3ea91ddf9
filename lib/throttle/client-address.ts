/**
 * The address a request came from, as far as it can be trusted.
 *
 * `trustedProxyHops` is how many reverse proxies of our own stand in front of the app; each
 * appends the address it saw to x-forwarded-for, so the entry that many places from the right
 * is the client as our outermost proxy saw it, and anything left of it was written by the client.
 * With no proxy, Next.js sets x-forwarded-for to the socket address, but only when the client
 * sent none, so the last entry is the socket unless the client forged the header: deployments
 * on the open internet should run behind a proxy and set TRUSTED_PROXY_HOPS.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const picked =
    trustedProxyHops > 0
      ? forwarded[Math.max(forwarded.length - trustedProxyHops, 0)]
      : forwarded[forwarded.length - 1] ?? headers.get("x-real-ip")?.trim();
  return normalizeAddress(picked ?? "");
}

/** One spelling per address (IPv4-mapped IPv6 is the IPv4 address), bounded in length. */
export function normalizeAddress(address: string): string {
  const plain = address.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "").slice(0, 64);
  return plain || "unknown";
}
