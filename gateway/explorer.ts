import * as bundle from '@graphql-yoga/render-graphiql/graphiql';
import type { ServerResponse } from 'node:http';
import { ROLES } from '../subgraphs/shared/identity';
import { sendText } from '../subgraphs/shared/server/http';
import { ANONYMOUS, EXAMPLE_PERSON_ID, explorerTabs, TOKEN_COMMANDS } from './explorerExamples';

/**
 * The explorer at GET /graphql: GraphiQL from a prebuilt bundle, every asset served from here, and a
 * Content-Security-Policy that forbids any other origin, so it works (and proves it works) offline.
 * A sign-in bar above it picks the role and takes its token; the explorer then opens on that role's
 * example operations (explorerExamples.ts) and introspects with that token, so it shows the part of
 * the graph the role may call (guard/roleSchema.ts). With NODE_ENV=development the bar also mints a
 * development token for the role picked (devTokens.ts, DEV_TOKEN_PATH).
 */
const CACHE = { 'cache-control': 'public, max-age=31536000, immutable' };
const JS = 'application/javascript; charset=utf-8';

export const DEV_TOKEN_PATH = '/graphql/dev-token';

/** What the sign-in bar needs: each role's tabs and how to make its token. */
const data = `self.EXPLORER = ${JSON.stringify({
  tabs: explorerTabs(),
  tokenCommands: TOKEN_COMMANDS,
  anonymous: ANONYMOUS,
  devTokenPath: DEV_TOKEN_PATH,
  examplePersonId: EXAMPLE_PERSON_ID,
})};`;

/**
 * The role and token picked are kept in sessionStorage (this browser tab only). GraphiQL keeps its own
 * tabs in localStorage and then ignores the tabs it is given: they are cleared, so the explorer always
 * opens on the picked role's examples.
 */
const bootstrap = `
(function () {
  var KEY = 'explorer:signin';
  var config = self.EXPLORER;
  var form = document.getElementById('signin');
  var message = document.getElementById('signin-message');
  var saved = {};
  try { saved = JSON.parse(sessionStorage.getItem(KEY) || '{}'); } catch (e) { saved = {}; }
  var role = config.tabs[saved.role] ? saved.role : config.anonymous;
  var token = typeof saved.token === 'string' ? saved.token : '';
  form.role.value = role;
  form.token.value = token;
  function showCommand() {
    var command = config.tokenCommands[form.role.value];
    document.getElementById('token-command').textContent = command ? 'Token: ' + command : 'No token needed: the public part of the graph.';
    document.getElementById('person').hidden = form.role.value !== 'INSURED';
  }
  form.role.addEventListener('change', showCommand);
  showCommand();
  function open(pickedRole, pickedToken) {
    sessionStorage.setItem(KEY, JSON.stringify({ role: pickedRole, token: pickedToken }));
    location.reload();
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    open(form.role.value, form.token.value.trim());
  });
  var dev = document.getElementById('dev-token');
  if (document.body.getAttribute('data-dev-tokens') === 'true') {
    dev.hidden = false;
    dev.addEventListener('click', function () {
      var request = { role: form.role.value };
      ['personId', 'idNumber', 'name'].forEach(function (field) {
        var value = form[field].value.trim();
        if (value) request[field] = value;
      });
      message.textContent = '';
      fetch(config.devTokenPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })
        .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
        .then(function (answer) {
          if (answer.ok) open(request.role, answer.body.token);
          else message.textContent = (answer.body.errors && answer.body.errors[0] && answer.body.errors[0].message) || 'No token';
        })
        .catch(function (error) { message.textContent = String(error); });
    });
  }
  var authorization = token ? 'Bearer ' + token : '';
  // Signed in as an insured person: his own id replaces the examples' placeholder, so they run as they are.
  var me = null;
  try {
    me = token ? JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).personId || null : null;
  } catch (e) {
    me = null;
  }
  var tabs = config.tabs[role].map(function (tab) {
    var headers = JSON.parse(tab.headers);
    headers.Authorization = authorization;
    var variables = me && tab.variables ? tab.variables.split(config.examplePersonId).join(me) : tab.variables;
    return { query: tab.query, variables: variables, headers: JSON.stringify(headers, null, 2) };
  });
  Object.keys(localStorage).forEach(function (key) { if (key.indexOf('graphiql:') === 0) localStorage.removeItem(key); });
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
    defaultTabs: tabs,
    // GraphiQL fills the first tab's variables and headers from these, not from defaultTabs.
    variables: tabs[0].variables,
    headers: tabs[0].headers,
    defaultHeaders: JSON.stringify({ Authorization: authorization }, null, 2),
    shouldPersistHeaders: false,
  });
})();
`;

const ASSETS: Record<string, { type: string; body: string }> = {
  'graphiql.js': { type: JS, body: bundle.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: bundle.css },
  'editor.worker.js': { type: JS, body: bundle.editorWorkerService },
  'json.worker.js': { type: JS, body: bundle.jsonWorker },
  'graphql.worker.js': { type: JS, body: bundle.graphqlWorker },
  'explorer-data.js': { type: JS, body: data },
  'explorer.js': { type: JS, body: bootstrap },
};

const ROLE_OPTIONS = [
  `<option value="${ANONYMOUS}">anonymous (public)</option>`,
  ...ROLES.map((role) => `<option value="${role}">${role}</option>`),
].join('');

function page(devTokens: boolean): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>家庭共济 GraphQL explorer</title>
<link rel="icon" href="${bundle.favicon}">
<link rel="stylesheet" href="/graphql/assets/graphiql.css">
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#signin { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; padding: 0.4em 0.8em; font: 14px sans-serif; border-bottom: 1px solid #ccc; }
#signin input[name=token] { flex: 1; min-width: 16em; }
#signin-message { color: #b00; }
#root { flex: 1; min-height: 0; }
</style>
</head>
<body id="body" class="no-focus-outline" data-dev-tokens="${devTokens}">
<noscript>The explorer needs JavaScript.</noscript>
<form id="signin" autocomplete="off">
<label>Role <select name="role">${ROLE_OPTIONS}</select></label>
<label>Bearer token <input name="token" type="password" placeholder="paste the token (empty: anonymous)"></label>
<span id="person" hidden>
<input name="personId" placeholder="person id" size="34">
<span>or</span>
<input name="idNumber" placeholder="resident id number" size="20">
<input name="name" placeholder="name" size="8">
</span>
<button type="submit">Open examples</button>
<button type="button" id="dev-token" hidden>Sign in with a development token</button>
<span id="token-command"></span>
<span id="signin-message" role="alert"></span>
</form>
<div id="root"></div>
<script src="/graphql/assets/graphiql.js"></script>
<script src="/graphql/assets/explorer-data.js"></script>
<script src="/graphql/assets/explorer.js"></script>
</body>
</html>
`;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

/** `devTokens`: NODE_ENV=development, where the sign-in bar offers development tokens. */
export function serveExplorerPage(res: ServerResponse, options: { devTokens: boolean }): void {
  sendText(res, 200, 'text/html; charset=utf-8', page(options.devTokens), { 'content-security-policy': CONTENT_SECURITY_POLICY });
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
