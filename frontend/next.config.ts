import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workflows package ships TypeScript sources under the `cairn-source` condition.
  transpilePackages: ['@cairn/workflows'],
  reactStrictMode: true,
  poweredByHeader: false,
  // Linting runs as its own task (`npm run lint`, eslint.config.mjs); the build only type-checks.
  eslint: { ignoreDuringBuilds: true },
  // The API is reached through src/app/api/[...path]/route.ts at request time, never rewritten at build time.
};

export default config;
