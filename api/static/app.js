// Progressive enhancement only: every page works without this file.
// Focus the error summary after a failed form submit, so screen readers announce it.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.getElementById('fehler');
  if (summary) summary.focus();
  var live = document.querySelector('[data-live-status]');
  if (live && window.fetch) {
    setInterval(function () {
      fetch(live.getAttribute('data-live-status'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) { if (s && s.label && live.textContent !== s.label) live.textContent = s.label; })
        .catch(function () {});
    }, 5000);
  }
});
