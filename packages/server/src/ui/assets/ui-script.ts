/**
 * The UI's one script, served as /ui/assets/app.js. Every page works without it; it only spares a
 * reload: live regions follow the change feed, "more" links load as they scroll into view, and a
 * rule editor shows its preview count as one types. Requests that change something send the CSRF
 * token from <meta name="csrf-token">.
 */
export const uiScript = `
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // isBackground: a refresh the page makes by itself, which the server does not count as use.
  function fetchDocument(url, isBackground) {
    var headers = isBackground ? { 'X-Weft-Background': '1' } : {};
    return fetch(url, { credentials: 'same-origin', headers: headers }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.text();
    }).then(function (text) { return new DOMParser().parseFromString(text, 'text/html'); });
  }

  // Live regions: [data-live="<stream url>"] with an id; on each change the page is read again and
  // the region swapped, keeping focus and scroll where they were.
  document.querySelectorAll('[data-live]').forEach(function (region) {
    if (!window.EventSource || !region.id) return;
    var pending = false;
    var source = new EventSource(region.getAttribute('data-live'));
    function refresh() {
      if (pending) return;
      pending = true;
      setTimeout(function () {
        fetchDocument(region.getAttribute('data-live-page') || location.href, true).then(function (doc) {
          var fresh = doc.getElementById(region.id);
          var current = document.getElementById(region.id);
          if (fresh && current && fresh.innerHTML !== current.innerHTML) {
            current.innerHTML = fresh.innerHTML;
            current.setAttribute('data-refreshed', String(Date.now()));
          }
        }).catch(function () {}).then(function () { pending = false; });
      }, 150);
    }
    // Marked once the server is watching: what commits from then on reaches this page.
    source.addEventListener('ready', function () { region.setAttribute('data-live-ready', ''); });
    source.addEventListener('change', refresh);
    // The session ended (logged out, revoked, idle): the stream says so once and is not reopened.
    source.addEventListener('end', function () { source.close(); });
    window.addEventListener('pagehide', function () { source.close(); });
  });

  // Polled regions: [data-poll="<ms>"] with an id is read again every <ms> and swapped, until the
  // fresh copy no longer asks to be polled (a running import's progress).
  function poll(region) {
    setTimeout(function () {
      fetchDocument(location.href, true).then(function (doc) {
        var fresh = doc.getElementById(region.id);
        var current = document.getElementById(region.id);
        if (!fresh || !current) return;
        current.innerHTML = fresh.innerHTML;
        var every = fresh.getAttribute('data-poll');
        if (every) { current.setAttribute('data-poll', every); poll(current); } else { current.removeAttribute('data-poll'); }
      }).catch(function () { poll(region); });
    }, Number(region.getAttribute('data-poll')) || 1000);
  }
  document.querySelectorAll('[data-poll][id]').forEach(poll);

  // "More" links: a[data-more] appends the next page's [data-more-items] children in place.
  function wireMore(link) {
    if (!('IntersectionObserver' in window)) return;
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      fetchDocument(link.href).then(function (doc) {
        var target = document.getElementById(link.getAttribute('data-more'));
        var items = doc.getElementById(link.getAttribute('data-more'));
        if (!target || !items) return;
        while (items.firstChild) target.appendChild(items.firstChild);
        var next = doc.querySelector('a[data-more="' + link.getAttribute('data-more') + '"]');
        if (next) { link.replaceWith(next); wireMore(next); } else { link.remove(); }
      }).catch(function () {});
    });
    observer.observe(link);
  }
  document.querySelectorAll('a[data-more]').forEach(wireMore);

  // Rule editors: textarea[data-preview] posts its JSON and shows the count in #<data-preview-output>.
  document.querySelectorAll('textarea[data-preview]').forEach(function (area) {
    var output = document.getElementById(area.getAttribute('data-preview-output'));
    var timer;
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(area.getAttribute('data-preview'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
          body: JSON.stringify({ rule: area.value }),
        }).then(function (response) { return response.json(); }).then(function (answer) {
          if (output) output.textContent = answer.message;
        }).catch(function () {});
      }, 300);
    });
  });

  // Forms that ask before they act: form[data-confirm] (the server asks again without script).
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  });
})();
`;
