import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The worker and the database drivers are server-only; keep them out of the bundle.
  serverExternalPackages: ["better-sqlite3", "pg", "@node-rs/argon2", "compromise"],
  poweredByHeader: false,
  // Source uploads are up to 1 MB of text plus the form around them.
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
};

export default nextConfig;
