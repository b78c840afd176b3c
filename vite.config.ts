import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Compressed copies of the built scripts, styles and page (name.br, name.gz, at the highest levels)
 * that the server sends as they are: compressing Ant Design's megabyte again for every visitor cost
 * the server time that the API calls of the same page were waiting for.
 */
function precompress(): Plugin {
  return {
    name: 'onegrid-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      const files = Object.keys(bundle).filter((f) => /\.(m?js|css|html|svg)$/.test(f));
      await Promise.all(
        files.map(async (f) => {
          const item = bundle[f]!;
          const body = Buffer.from(item.type === 'chunk' ? item.code : item.source);
          if (body.length < 1024) return;
          await writeFile(join(dir, `${f}.br`), await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
          await writeFile(join(dir, `${f}.gz`), await gzipped(body, { level: 9 }));
        }),
      );
    },
  };
}

/**
 * The web shell. The server serves `dist/web` statically with an SPA fallback, so the build output
 * lives next to the server's own build output; during development Vite proxies `/api` to the server.
 */
export default defineConfig({
  root: here('./src/web'),
  // sw.js, the web app manifest and its icons, served from the root (the field app's PWA files)
  publicDir: here('./src/web/public'),
  plugins: [react(), precompress()],
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    // antd alone is ~1 MB minified; the warning would fire on every build without telling us anything.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Big libraries get chunks of their own so an app change does not invalidate them in the
        // browser cache, and maplibre/echarts (2.6 MB together) load only on the pages that use them.
        // A group also takes its dependencies, so the libraries others depend on (react) go first.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|cookie|set-cookie-parser)[\\/]/, priority: 40 },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next|html-parse-stringify|void-elements)[\\/]/, priority: 35 },
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // ONEGRID_API points the dev server at a server on another port.
      '/api': { target: process.env.ONEGRID_API ?? 'http://localhost:8080', changeOrigin: false },
    },
  },
});
