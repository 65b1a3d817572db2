// Live pages, rendered again on the server and swapped in place (no reload, no framework; every page reads
// without this script, only not live):
// - an element with data-live="<watch stream>": the page's main content, on each event of the experiment's
//   watch stream (a run started, finished, failed) and every few seconds in between (metric curves grow
//   without an event), until the page no longer carries data-live (what it followed has finished);
// - an element with data-refresh="<seconds>" (an endpoint's traffic): that element, that often.
(() => {
  const swap = async selector => {
    const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector(selector);
    const current = document.querySelector(selector);
    if (next && current) current.replaceChildren(...next.childNodes);
  };

  const live = document.querySelector('[data-live]');
  if (live && window.EventSource) {
    const events = new EventSource(live.dataset.live);
    let pending = null;
    const refresh = async () => {
      await swap('main');
      pending = null;
      if (!document.querySelector('[data-live]')) {
        events.close();
        clearInterval(tick);
      }
    };
    const soon = () => { pending ??= setTimeout(refresh, 500); };
    events.addEventListener('run', soon);
    events.onerror = () => { events.close(); soon(); }; // the stream ends when the experiment does
    const tick = setInterval(soon, 3000);
    return;
  }

  const refreshed = document.querySelector('[data-refresh]');
  if (refreshed) {
    setInterval(() => swap('[data-refresh]'), 1000 * Number(refreshed.dataset.refresh));
  }
})();
