import type { NextConfig } from "next";
import { apiContentSecurityPolicy, baseSecurityHeaders, strictTransportSecurity } from "./lib/security/headers";

/** The first proxy's scheme is https (a list such as "https, http" names each hop's), as servedOverHttps() reads it. */
const FORWARDED_HTTPS = "https(\\s*,.*)?";

const nextConfig: NextConfig = {
  // The worker and the database drivers are server-only; keep them out of the bundle.
  serverExternalPackages: ["better-sqlite3", "pg", "@node-rs/argon2", "compromise"],
  poweredByHeader: false,
  // Source uploads are up to 1 MB of text plus the form around them.
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
  // proxy.ts handles trailing slashes: pages redirect, /api/v1 answers as if without one.
  skipTrailingSlashRedirect: true,
  // For what proxy.ts does not see (build assets, public files, most API requests); it sets the same on the rest, plus a page's CSP.
  async headers() {
    return [
      { source: "/:path*", headers: [...baseSecurityHeaders] },
      { source: "/api/v1/:path*", headers: [apiContentSecurityPolicy] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: FORWARDED_HTTPS }], headers: [strictTransportSecurity] },
    ];
  },
};

export default nextConfig;
