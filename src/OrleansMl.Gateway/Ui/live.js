// Live pages: an element with data-live="<watch stream>" keeps the page current while something runs. Each event of
// the experiment's watch stream (a run started, finished, failed) and, in between, a tick every few seconds (metric
// curves grow without an event) render the page again on the server and swap in its main content. No framework:
// the page works without this script, only not live.
(() => {
  // An element with data-refresh="<seconds>" (an endpoint's traffic) is rendered again on the server that often.
  const refreshed = document.querySelector('[data-refresh]');
  if (refreshed && !document.querySelector('[data-live]')) {
    setInterval(async () => {
      const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('[data-refresh]');
      const current = document.querySelector('[data-refresh]');
      if (next && current) current.replaceChildren(...next.childNodes);
    }, 1000 * Number(refreshed.dataset.refresh));
  }
  const live = document.querySelector('[data-live]');
  if (!live || !window.EventSource) return;
  const events = new EventSource(live.dataset.live);
  let pending = null;
  const refresh = async () => {
    pending = null;
    const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('main');
    const main = document.querySelector('main');
    if (next && main) main.replaceChildren(...next.childNodes);
    if (!document.querySelector('[data-live]')) {
      events.close();
      clearInterval(tick);
    }
  };
  const soon = () => { pending ??= setTimeout(refresh, 500); };
  events.addEventListener('run', soon);
  events.onerror = () => { events.close(); soon(); }; // the stream ends when the experiment does
  const tick = setInterval(soon, 3000);
})();
