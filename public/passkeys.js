// Passkeys on the account pages: the only script there, served from the shop with SRI under the
// nonce CSP. Buttons carry data-passkey="register" or "sign-in" and sit in a form whose _csrf
// field this script sends along; without JavaScript or WebAuthn the buttons stay hidden and the
// password form works as before. Option and credential JSON use the browser's own converters.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || typeof PublicKeyCredential.parseCreationOptionsFromJSON !== 'function') return;
  var buttons = document.querySelectorAll('button[data-passkey]');
  for (var i = 0; i < buttons.length; i++) setUp(buttons[i]);

  function setUp(button) {
    var form = button.form;
    button.hidden = false;
    button.addEventListener('click', function () {
      var csrf = form.querySelector('input[name="_csrf"]').value;
      var signIn = button.getAttribute('data-passkey') === 'sign-in';
      say(button.getAttribute('data-working'), false);
      button.disabled = true;
      post(button.getAttribute('data-options'), { _csrf: csrf })
        .then(function (options) {
          return signIn
            ? navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })
            : navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        })
        .then(function (credential) { return post(button.getAttribute('data-finish'), { _csrf: csrf, credential: credential.toJSON() }); })
        .then(function (done) { window.location.assign(done.redirect); })
        .catch(function (err) {
          button.disabled = false;
          // The shop's own words when it refused; the browser's (often English) only stand for "failed".
          say((err && err.fromShop && err.message) || button.getAttribute('data-failed'), true);
        });
    });
  }

  function say(text, isError) {
    var status = document.getElementById('passkey-status');
    if (!status) return;
    status.textContent = text;
    status.className = isError ? 'notice notice-error' : 'notice';
    status.setAttribute('role', isError ? 'alert' : 'status');
  }

  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().then(function (json) {
          if (!res.ok) {
            var e = new Error(json.detail || json.title);
            e.fromShop = true;
            throw e;
          }
          return json;
        });
      });
  }
})();
