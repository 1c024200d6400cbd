// Optional: hides conditional fields live, mirroring modules/procedures/fields/conditions.ts.
// Without it all fields show with a hint saying when they apply; the server drops hidden answers.
(function () {
  var form = document.querySelector('form[data-conditions]');
  if (!form) return;
  var wraps = form.querySelectorAll('[data-visible-if]');
  function prefixOf(el) {
    var block = el.closest('.block');
    var input = block && block.querySelector('[name*="]["]');
    var m = input && /^(.*\[\d+\]\[)[^[\]]*\]$/.exec(input.name);
    return m ? m[1] : null;
  }
  function valueOf(name) {
    var els = form.querySelectorAll('[name="' + name.replace(/"/g, '') + '"]');
    if (!els.length) return undefined;
    var first = els[0];
    if (first.closest('[hidden]')) return undefined;
    if (first.type === 'radio' || (first.type === 'checkbox' && els.length > 1)) {
      var out = [];
      for (var i = 0; i < els.length; i++) if (els[i].checked) out.push(els[i].value);
      return first.type === 'radio' ? out[0] : out;
    }
    if (first.type === 'checkbox') return first.checked;
    return first.value === '' ? undefined : first.value;
  }
  function answer(key, prefix) {
    if (prefix) {
      var inner = valueOf(prefix + key + ']');
      if (inner !== undefined) return inner;
    }
    return valueOf(key);
  }
  function comparable(v) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?\d+([.,]\d+)?$/.test(v)) return Number(v.replace(',', '.'));
    return typeof v === 'string' && v !== '' ? v : null;
  }
  function same(a, b) {
    if (Array.isArray(a))
      return a.some(function (x) {
        return same(x, b);
      });
    if (a === undefined || a === null) return false;
    return String(a) === String(b);
  }
  function holds(c, prefix, depth) {
    if (!c || depth > 20) return false;
    if (c.all)
      return c.all.every(function (x) {
        return holds(x, prefix, depth + 1);
      });
    if (c.any)
      return c.any.some(function (x) {
        return holds(x, prefix, depth + 1);
      });
    var a = answer(c.field, prefix);
    var filled = !(a === undefined || a === '' || (Array.isArray(a) && !a.length));
    switch (c.op) {
      case 'filled':
        return filled;
      case 'empty':
        return !filled;
      case 'equals':
        return same(a, c.value);
      case 'not_equals':
        return !same(a, c.value);
      case 'gt':
      case 'lt':
        var x = comparable(a),
          y = comparable(c.value);
        if (x === null || y === null || typeof x !== typeof y) return false;
        return c.op === 'gt' ? x > y : x < y;
    }
    return false;
  }
  function update() {
    // A hidden field's answer counts as empty: repeat until stable.
    for (var pass = 0; pass < 5; pass++) {
      var changed = false;
      for (var i = 0; i < wraps.length; i++) {
        var el = wraps[i],
          show;
        try {
          show = holds(JSON.parse(el.getAttribute('data-visible-if')), prefixOf(el), 0);
        } catch (e) {
          show = true;
        }
        if (el.hidden === show) {
          el.hidden = !show;
          changed = true;
        }
      }
      if (!changed) break;
    }
  }
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();
})();
