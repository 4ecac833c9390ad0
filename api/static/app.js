// Progressive enhancement only: every page works without this file.
// Focus the error summary after a failed form submit, so screen readers announce it.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.getElementById('fehler');
  if (summary) summary.focus();
  var live = document.querySelector('[data-live-status]');
  if (live && window.fetch) {
    setInterval(function () {
      fetch(live.getAttribute('data-live-status'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (s) {
          if (s && s.label && live.textContent !== s.label) live.textContent = s.label;
        })
        .catch(function () {});
    }, 5000);
  }
});

// Live parts (/leitung): re-fetch this page every few seconds and swap the sections marked
// [data-live-part] when they changed; the polite status region says what changed. Sections that hold
// the keyboard focus are left alone (no lost focus). Without JavaScript the page is simply reloaded.
document.addEventListener('DOMContentLoaded', function () {
  var status = document.querySelector('[data-live-refresh]');
  if (!status || !window.fetch || !window.DOMParser) return;
  var every = Number(status.getAttribute('data-live-refresh')) || 5000;
  var busy = false;
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' }, cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (text) {
        if (!text) return;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var changed = false;
        document.querySelectorAll('[data-live-part]').forEach(function (el) {
          var fresh = el.id ? doc.getElementById(el.id) : null;
          if (!fresh || fresh.innerHTML === el.innerHTML) return;
          if (document.activeElement && el.contains(document.activeElement)) return;
          el.innerHTML = fresh.innerHTML;
          changed = true;
        });
        if (changed) {
          var summary = document.querySelector('[data-live-summary]');
          var time = new Date().toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
          status.textContent = 'Aktualisiert um ' + time + (summary ? ': ' + summary.textContent : '.');
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
      });
  }
  setInterval(refresh, every);
});
