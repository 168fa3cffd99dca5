// Session Lab's service worker: after one visit the lab opens without a network.
//
// scripts/csp.py (trunk's post_build hook) writes VERSION and FILES below into the built copy:
// FILES is every file of the bundle except this one, relative to this script, and VERSION a
// hash of their contents. A new deploy therefore changes this file's bytes, which is what makes
// the browser install the new worker next to the old one.
//
// - install: fetch every file of the bundle into a cache named after VERSION, then take over at
//   once (skipWaiting). The lab has no lazily loaded parts: a page that is already running
//   needs nothing more from the old cache, so replacing the worker under it is safe.
// - activate: delete this scope's caches of other versions, and control the open pages
//   (clients.claim) so that the first visit is already covered.
// - fetch: page loads go to the network first, so an online load gets a new deploy's
//   index.html, and fall back to the cached index.html offline (or when the network stalls);
//   the other files of the bundle have content hashes in their names and come from the cache
//   first. Anything else (non-GET, other origins, files not in the bundle) is left to the
//   browser.
const VERSION = "unbuilt";
const FILES = [];

// Several copies of the lab may live on one origin, in different directories: each keeps to its
// own caches.
const PREFIX = "session-lab " + self.registration.scope + " ";
const CACHE = PREFIX + VERSION;
const INDEX = new URL("index.html", self.registration.scope).href;
const BUNDLE = new Set(FILES.map((f) => new URL(f, self.registration.scope).href));
// How long a page load waits for the network before the cached page is used instead.
const NETWORK_WAIT_MS = 4000;
// trunk names its JS and wasm after their content: a copy in the HTTP cache is the right one.
const HASHED = /-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$/;

self.addEventListener("install", (event) => {
  // The page has just fetched the hashed files, so they come from the HTTP cache; the others are
  // revalidated with the server (`no-cache`), so that the cache holds what is deployed now.
  const requests = FILES.map((f) => new Request(f, { cache: HASHED.test(f) ? "default" : "no-cache" }));
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          requests.map((r) =>
            fetch(r).then((response) => {
              if (!response.ok) throw new Error(`${r.url}: ${response.status}`);
              // A host that redirects index.html to ./ gives a "redirected" response, which a
              // browser refuses to use for a page load: keep its body and headers only.
              const kept = response.redirected
                ? new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers })
                : response;
              return cache.put(r, kept);
            }),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageLoad(request));
  } else if (BUNDLE.has(request.url)) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(request)).then((hit) => hit || fetch(request)));
  }
});

// Network first; the cached index.html when the network fails or takes too long. The lab is one
// page whose routes are in the URL's fragment, so any page load in scope can be answered with it.
// `no-cache` asks the server even when the HTTP cache would guess a stored page is still fresh
// (a host that sends no Cache-Control), so a new deploy is seen on the next load.
async function pageLoad(request) {
  const network = fetch(request, { cache: "no-cache" });
  const cached = () => caches.open(CACHE).then((c) => c.match(INDEX));
  const stalled = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(cached);
  try {
    // The network's answer, unless it is slower than NETWORK_WAIT_MS and a cached page exists.
    return await Promise.race([network, stalled.then((hit) => hit || network)]);
  } catch (error) {
    const hit = await cached();
    if (hit) return hit;
    throw error;
  }
}
