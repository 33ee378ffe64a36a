/* The preview page's script: follows the builds (server-sent events), fetches again only the
 * pages whose image changed, keeps the reader near the change, zooms, switches language,
 * edition and paper in place, and names the source of what is clicked.  The page works
 * without it. */
(function () {
  'use strict';
  var body = document.body;
  var pages = document.getElementById('pages');
  var statusEl = document.getElementById('status');
  var messages = document.getElementById('messages');
  var where = document.getElementById('where');
  var form = document.querySelector('header form');
  var gen = parseInt(body.dataset.generation, 10) || 0;
  var zoom = parseFloat(sessionStorage.getItem('wb-zoom')) || 1;

  function figures() { return pages.querySelectorAll('figure.page'); }

  function sizeFigure(fig) {
    var img = fig.querySelector('img');
    img.style.width = (parseFloat(fig.dataset.width) * 4 / 3 * zoom) + 'px';
    img.style.height = (parseFloat(fig.dataset.height) * 4 / 3 * zoom) + 'px';
  }

  /* zoom */
  var zc = document.createElement('span');
  zc.id = 'zoom';
  zc.innerHTML = '<button type="button" data-z="out" title="Smaller">\u2212</button>' +
    '<output></output><button type="button" data-z="in" title="Larger">+</button>' +
    '<button type="button" data-z="fit">Fit width</button>';
  document.querySelector('header').appendChild(zc);
  function applyZoom() {
    zc.querySelector('output').textContent = Math.round(zoom * 100) + '%';
    sessionStorage.setItem('wb-zoom', String(zoom));
    Array.prototype.forEach.call(figures(), sizeFigure);
  }
  zc.addEventListener('click', function (e) {
    var z = e.target.dataset && e.target.dataset.z;
    var first = figures()[0];
    if (z === 'in') zoom = Math.min(4, zoom * 1.25);
    else if (z === 'out') zoom = Math.max(0.25, zoom / 1.25);
    else if (z === 'fit' && first) zoom = (pages.clientWidth - 32) / (parseFloat(first.dataset.width) * 4 / 3);
    else return;
    applyZoom();
  });
  applyZoom();

  /* messages */
  function showMessages(list) {
    var ul = document.createElement('ul');
    list.forEach(function (m) {
      var li = document.createElement('li');
      li.className = m.severity;
      li.textContent = m.text;
      ul.appendChild(li);
    });
    messages.replaceChildren(ul);
  }

  function visible(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  /* a new build: new images for the changed pages only */
  function update(s) {
    gen = s.generation;
    statusEl.textContent = (s.failed ? 'Failed' : 'Built') + ' in ' + s.seconds.toFixed(2) + ' s, ' +
      s.pages.length + ' pages';
    statusEl.className = s.failed ? 'failed' : 'ok';
    showMessages(s.messages);
    ['lang', 'edition', 'paper'].forEach(function (k) {
      var sel = form.querySelector('select[name=' + k + ']');
      if (sel && s[k]) sel.value = s[k];
    });
    if (!s.failed) {
      var figs = figures(), changed = [];
      s.pages.forEach(function (p, i) {
        var fig = figs[i];
        if (!fig) {
          fig = document.createElement('figure');
          fig.className = 'page';
          fig.id = 'page-' + (i + 1);
          fig.innerHTML = '<img alt="Page ' + (i + 1) + '"><figcaption>' + (i + 1) + '</figcaption>';
          pages.appendChild(fig);
        }
        if (fig.dataset.hash !== p.hash) {
          fig.dataset.hash = p.hash;
          fig.dataset.width = p.width;
          fig.dataset.height = p.height;
          fig.querySelector('img').src = '/page/' + (i + 1) + '/' + p.hash + '.png';
          sizeFigure(fig);
          changed.push(fig);
        }
      });
      for (var i = figs.length - 1; i >= s.pages.length; i--) figs[i].remove();
      /* stay where the reader is when a change is in sight, else go to the first one */
      if (changed.length && !changed.some(visible)) changed[0].scrollIntoView({block: 'start'});
    }
    body.dataset.generation = String(gen);
  }

  if (window.EventSource) {
    var es = new EventSource('/events');
    es.addEventListener('build', function (e) {
      var s = JSON.parse(e.data);
      if (s.generation !== gen) update(s);
    });
  }

  /* switches rebuild in place */
  form.addEventListener('change', function () {
    var q = new URLSearchParams(new FormData(form)).toString();
    statusEl.textContent = 'Building\u2026';
    fetch('/switch?' + q, {method: 'POST'}).then(function (r) { return r.json(); }).then(update);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); form.dispatchEvent(new Event('change')); });

  /* click to source */
  function showSource(src) {
    where.replaceChildren();
    var a = document.createElement('a');
    a.href = src.uri + '#L' + src.line;
    a.textContent = src.where;
    var input = document.createElement('input');
    input.readOnly = true;
    input.value = src.where;
    input.size = Math.min(40, src.where.length);
    var copy = document.createElement('button');
    copy.type = 'button';
    copy.textContent = 'Copy';
    copy.addEventListener('click', function () {
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(src.where);
      else document.execCommand('copy');
    });
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = '\u00d7';
    close.title = 'Close';
    close.addEventListener('click', function () { where.hidden = true; });
    var pre = document.createElement('pre');
    where.append(a, ' ', input, copy, close, pre);
    where.hidden = false;
    fetch('/source?path=' + encodeURIComponent(src.file)).then(function (r) {
      return r.ok ? r.text() : '';
    }).then(function (t) {
      var lines = t.split('\n'), from = Math.max(0, src.line - 3), to = Math.min(lines.length, src.line + 4);
      for (var i = from; i < to; i++) {
        var l = document.createElement('span');
        if (i + 1 === src.line) l.className = 'here';
        l.textContent = String(i + 1).padStart(5) + '  ' + lines[i] + '\n';
        pre.appendChild(l);
      }
    });
  }
  pages.addEventListener('click', function (e) {
    if (e.target.tagName !== 'IMG') return;
    var fig = e.target.closest('figure');
    var r = e.target.getBoundingClientRect();
    var x = (e.clientX - r.left) / r.width * parseFloat(fig.dataset.width);
    var y = (e.clientY - r.top) / r.height * parseFloat(fig.dataset.height);
    var n = fig.id.replace('page-', '');
    fetch('/at?page=' + n + '&x=' + x.toFixed(1) + '&y=' + y.toFixed(1)).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (src) {
      if (src) showSource(src);
      else where.hidden = true;
    });
  });
})();
