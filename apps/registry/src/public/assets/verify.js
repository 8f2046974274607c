// In-browser check of a published declaration against Custodia's signed audit log (WebCrypto,
// no library): the public content's hash, the log entry that recorded it, the checkpoint's
// Ed25519 signature, the witnesses' cosignatures (C2SP tlog-cosignature v1) when the log has
// witnesses, and the RFC 9162 inclusion proof from the entry to the checkpoint's root.
(function () {
  'use strict';
  var panel = document.getElementById('verify');
  if (!panel || !panel.dataset.index || !window.crypto || !window.crypto.subtle) return;
  var button = panel.querySelector('.run-verify');
  var steps = panel.querySelector('.steps');
  var status = panel.querySelector('.verify-status');
  var text = function (name) { return panel.dataset['text' + name]; };
  button.hidden = false;

  var encoder = new TextEncoder();
  function sha256(bytes) { return crypto.subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); }); }
  function concat() {
    var parts = Array.prototype.slice.call(arguments), length = 0, offset = 0;
    parts.forEach(function (p) { length += p.length; });
    var out = new Uint8Array(length);
    parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
    return out;
  }
  function fromBase64(text) { var bin = atob(text), out = new Uint8Array(bin.length); for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out; }
  function toBase64(bytes) { var bin = ''; bytes.forEach(function (b) { bin += String.fromCharCode(b); }); return btoa(bin); }
  function toHex(bytes) { return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join(''); }
  function equal(a, b) { if (a.length !== b.length) return false; for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false; return true; }

  // RFC 8785 canonical JSON: ECMAScript serialisation of primitives, object keys sorted by UTF-16 units.
  function canonical(value) {
    if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
    if (value !== null && typeof value === 'object') {
      return '{' + Object.keys(value).sort().map(function (k) { return JSON.stringify(k) + ':' + canonical(value[k]); }).join(',') + '}';
    }
    return JSON.stringify(value);
  }

  function getJson(url) { return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); }); }
  function getText(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.text(); }); }

  // RFC 9162 §2.1.3.2: the root an inclusion proof leads to.
  function rootFromProof(index, size, leaf, proof) {
    var fn = index, sn = size - 1, r = Promise.resolve(leaf);
    if (index >= size) return Promise.reject(new Error('index beyond tree size'));
    proof.forEach(function (p) {
      r = r.then(function (node) {
        if (sn === 0) throw new Error('proof too long');
        var step;
        if (fn % 2 === 1 || fn === sn) {
          step = sha256(concat(new Uint8Array([1]), p, node));
          if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        } else {
          step = sha256(concat(new Uint8Array([1]), node, p));
        }
        fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
        return step;
      });
    });
    return r.then(function (node) { if (sn !== 0) throw new Error('proof too short'); return node; });
  }

  // C2SP checkpoint in a signed note: origin, size, root; a blank line; "— name base64(keyid ‖ sig)".
  function parseCheckpoint(note) {
    var split = note.indexOf('\n\n');
    var body = note.slice(0, split + 1), lines = body.split('\n');
    var signatures = note.slice(split + 2).split('\n').filter(Boolean).map(function (line) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(line);
      return m && { name: m[1], bytes: fromBase64(m[2]) };
    }).filter(Boolean);
    return { body: body, origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]), signatures: signatures };
  }

  function verifySignature(checkpoint, verifierKey) {
    // name+keyid+base64: the base64 may itself contain '+'.
    var m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey);
    if (!m) throw new Error('not a verifier key');
    var name = m[1], keyId = m[2], key = fromBase64(m[3]);
    if (key[0] !== 1) throw new Error('not an Ed25519 key');
    var signature = checkpoint.signatures.find(function (s) { return s.name === name && toHex(s.bytes.slice(0, 4)) === keyId; });
    if (!signature) throw new Error('the checkpoint has no signature by the log key');
    return crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify']).then(
      function (publicKey) {
        return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature.bytes.slice(4), encoder.encode(checkpoint.body)).then(function (ok) {
          if (!ok) throw new Error('bad signature');
          return true;
        });
      },
      function (error) {
        if (error && error.name === 'NotSupportedError') return 'unsupported';
        throw error;
      },
    );
  }

  // C2SP tlog-cosignature v1: "— name base64(keyid ‖ u64 time ‖ Ed25519 signature)" over
  // "cosignature/v1\ntime <time>\n" and the checkpoint body; the witness's key has type 0x04.
  function verifyCosignature(checkpoint, witnessKey) {
    var m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(witnessKey);
    if (!m) return Promise.resolve(false);
    var name = m[1], keyId = m[2], key = fromBase64(m[3]);
    if (key[0] !== 4) return Promise.resolve(false);
    var line = checkpoint.signatures.find(function (s) { return s.name === name && toHex(s.bytes.slice(0, 4)) === keyId; });
    if (!line || line.bytes.length !== 76) return Promise.resolve(false);
    var time = 0;
    for (var i = 4; i < 12; i++) time = time * 256 + line.bytes[i];
    var message = encoder.encode('cosignature/v1\ntime ' + time + '\n' + checkpoint.body);
    return crypto.subtle.importKey('raw', key.slice(1), { name: 'Ed25519' }, false, ['verify'])
      .then(function (publicKey) { return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, line.bytes.slice(12), message); })
      .then(function (ok) { return ok ? name : false; });
  }

  function checkWitnesses(checkpoint) {
    var keys = (panel.dataset.witnesses || '').split(' ').filter(Boolean);
    if (keys.length === 0) return Promise.resolve();
    var quorum = Number(panel.dataset.witnessQuorum || keys.length);
    return Promise.all(keys.map(function (k) { return verifyCosignature(checkpoint, k); })).then(function (results) {
      var cosigned = results.filter(Boolean);
      var missing = keys.filter(function (k, i) { return !results[i]; }).map(function (k) { return k.split('+')[0]; });
      var detail = cosigned.length + ' ' + text('WitnessesQuorum') + ' ' + quorum + (cosigned.length ? ' — ' + cosigned.join(', ') : '');
      if (cosigned.length < quorum) throw new Error(detail + '; ' + text('WitnessesMissing') + ' ' + missing.join(', '));
      show(text('StepWitnesses'), 'ok', detail);
    });
  }

  function show(label, outcome, detail) {
    var item = document.createElement('li');
    item.className = outcome;
    item.textContent = (outcome === 'ok' ? '✓ ' : outcome === 'failed' ? '✗ ' : '! ') + label + (detail ? ' — ' + detail : '');
    steps.appendChild(item);
  }

  function run() {
    var tool = panel.dataset.tool, revision = Number(panel.dataset.revision), index = Number(panel.dataset.index);
    var leafHash = fromBase64(panel.dataset.leafHash);
    steps.innerHTML = '';
    steps.hidden = false;
    status.className = 'verify-status';
    status.textContent = text('Running');
    button.disabled = true;
    var contentHash, checkpoint, current = 'StepContent';
    return getJson('/api/v1/public/tools/' + tool + '/revisions')
      .then(function (history) {
        var published = history.items.find(function (r) { return r.revision === revision; });
        return sha256(encoder.encode(canonical(published.content))).then(function (digest) {
          contentHash = toHex(digest);
          if (contentHash !== panel.dataset.contentHash || contentHash !== published.publicContentHash) throw new Error('hash mismatch');
          show(text('StepContent'), 'ok', contentHash.slice(0, 16) + '…');
        });
      })
      .then(function () {
        current = 'StepEntry';
        return getJson('/api/v1/log/entries/' + index);
      })
      .then(function (entry) {
        var bytes = fromBase64(entry.entry);
        var logged = JSON.parse(new TextDecoder().decode(bytes));
        if (logged.action !== 'tool.publish' || logged.subject.id !== tool || logged.subject.revision !== revision || logged.publicContentHash !== contentHash) {
          throw new Error('the entry records something else');
        }
        return sha256(concat(new Uint8Array([0]), bytes)).then(function (leaf) {
          if (!equal(leaf, leafHash)) throw new Error('leaf hash mismatch');
          show(text('StepEntry'), 'ok', '#' + index);
        });
      })
      .then(function () {
        current = 'StepSignature';
        return Promise.all([getText('/log/checkpoint'), getJson('/api/v1/log/key')]);
      })
      .then(function (results) {
        checkpoint = parseCheckpoint(results[0]);
        return verifySignature(checkpoint, results[1].verifierKey).then(function (outcome) {
          if (outcome === 'unsupported') show(text('StepSignature'), 'warning', text('NoEd25519'));
          else show(text('StepSignature'), 'ok', checkpoint.origin + ' · ' + checkpoint.size);
          if (outcome === 'unsupported') return;
          current = 'StepWitnesses';
          return checkWitnesses(checkpoint);
        });
      })
      .then(function () {
        current = 'StepProof';
        return getJson('/api/v1/log/proofs/inclusion?index=' + index + '&treeSize=' + checkpoint.size);
      })
      .then(function (proof) {
        return rootFromProof(index, checkpoint.size, leafHash, proof.hashes.map(fromBase64)).then(function (root) {
          if (!equal(root, checkpoint.root)) throw new Error('the proof leads to ' + toBase64(root).slice(0, 12) + '…, not the checkpoint root');
          show(text('StepProof'), 'ok', proof.hashes.length + ' hashes');
          status.className = 'verify-status ok';
          status.textContent = text('Ok');
        });
      })
      .catch(function (error) {
        show(text(current), 'failed', error.message);
        status.className = 'verify-status failed';
        status.textContent = text('Failed');
      })
      .then(function () { button.disabled = false; });
  }

  button.addEventListener('click', run);
})();
