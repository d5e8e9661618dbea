import * as bundle from '@graphql-yoga/render-graphiql/graphiql';
import type { ServerResponse } from 'node:http';
import { sendText } from '../subgraphs/shared/server/http';
import { explorerTabs } from './explorerExamples';

/**
 * The explorer at GET /graphql: GraphiQL from a prebuilt bundle, every asset served from here, and a
 * Content-Security-Policy that forbids any other origin, so it works (and proves it works) offline.
 * It opens with the example operations of every role as tabs (explorerExamples.ts).
 */
const CACHE = { 'cache-control': 'public, max-age=31536000, immutable' };
const JS = 'application/javascript; charset=utf-8';

const bootstrap = `
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    var workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
    return '/graphql/assets/' + (workers[label] || workers.editorWorkerService);
  },
};
YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), {
  endpoint: '/graphql',
  title: '家庭共济 GraphQL',
  defaultTabs: ${JSON.stringify(explorerTabs())},
});
`;

const ASSETS: Record<string, { type: string; body: string }> = {
  'graphiql.js': { type: JS, body: bundle.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: bundle.css },
  'editor.worker.js': { type: JS, body: bundle.editorWorkerService },
  'json.worker.js': { type: JS, body: bundle.jsonWorker },
  'graphql.worker.js': { type: JS, body: bundle.graphqlWorker },
  'explorer.js': { type: JS, body: bootstrap },
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>家庭共济 GraphQL explorer</title>
<link rel="icon" href="${bundle.favicon}">
<link rel="stylesheet" href="/graphql/assets/graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>The explorer needs JavaScript.</noscript>
<div id="root"></div>
<script src="/graphql/assets/graphiql.js"></script>
<script src="/graphql/assets/explorer.js"></script>
</body>
</html>
`;

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

export function serveExplorerPage(res: ServerResponse): void {
  sendText(res, 200, 'text/html; charset=utf-8', PAGE, { 'content-security-policy': CONTENT_SECURITY_POLICY });
}

/** True when it served the asset. */
export function serveExplorerAsset(res: ServerResponse, name: string): boolean {
  const asset = ASSETS[name];
  if (!asset) return false;
  sendText(res, 200, asset.type, asset.body, CACHE);
  return true;
}

export function wantsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}
