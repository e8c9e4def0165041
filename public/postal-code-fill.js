// Mamori checkout: fills prefecture, city and the first address line from the postal code.
// The shop's own script (served from /static/ with Subresource Integrity under the nonce CSP);
// it asks only the shop's own endpoint, GET /api/store/postal-codes/{code}. Without JavaScript
// the server fills the same fields after submit (src/checkout/routes.tsx).
(function () {
  'use strict';
  var postal = document.getElementById('postalCode');
  var prefecture = document.getElementById('prefecture');
  var city = document.getElementById('city');
  var line1 = document.getElementById('line1');
  var country = document.getElementById('country');
  var status = document.getElementById('postalCode-status');
  if (!postal || !prefecture || !city || !line1 || !status) return;
  var looked = '';
  var filledLine1 = '';

  function digitsOf(value) {
    // NFKC turns full-width digits and 〒-style input into ASCII; then 123-4567 or 1234567.
    var s = value.normalize('NFKC').replace(/^\s*〒\s*/, '').replace(/[ー−‐–]/g, '-').trim();
    var m = /^(\d{3})-?(\d{4})$/.exec(s);
    return m ? m[1] + m[2] : '';
  }

  function lookUp() {
    if (country && country.value !== 'JP') return;
    var digits = digitsOf(postal.value);
    if (!digits || digits === looked) return;
    looked = digits;
    fetch('/api/store/postal-codes/' + digits, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        if (res.status === 404) { status.textContent = postal.getAttribute('data-not-found') || ''; return null; }
        return res.ok ? res.json() : null;
      })
      .then(function (a) {
        if (!a || digitsOf(postal.value) !== digits) return;
        prefecture.value = a.prefecture;
        city.value = a.city;
        // The first line is only written while it is empty or still what we wrote last time.
        if (line1.value === '' || line1.value === filledLine1) { line1.value = a.town; filledLine1 = a.town; }
        status.textContent = (postal.getAttribute('data-found') || '').replace('{place}', a.prefecture + a.city + a.town);
      })
      .catch(function () { looked = ''; });
  }

  postal.addEventListener('input', lookUp);
  postal.addEventListener('change', lookUp);
})();
