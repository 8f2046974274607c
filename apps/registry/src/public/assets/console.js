// The console works without this script; it only adds conveniences: another row of a list
// without a round trip to the server, and the SHA-256 of a chosen file computed in the browser
// (the file itself is never sent).
document.documentElement.classList.add('js');

function renumber(row, index) {
  for (const element of row.querySelectorAll('[name], [id], [for], [aria-describedby]')) {
    for (const attribute of ['name', 'id', 'for', 'aria-describedby']) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
      // The row's own position is the last index in the path: f.legalBasis.2.url, f-legalBasis-2-url.
      element.setAttribute(attribute, value.replace(/([.-])(\d+)([.-])(?!.*[.-]\d+[.-])/, `$1${index}$3`));
    }
  }
}

function addRowButton(list) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary add-row';
  button.textContent = list.dataset.addLabel;
  button.addEventListener('click', () => {
    const rows = list.querySelectorAll(':scope > [data-row], :scope > tbody > [data-row]');
    const last = rows[rows.length - 1];
    const copy = last.cloneNode(true);
    for (const input of copy.querySelectorAll('input, textarea')) input.value = '';
    for (const select of copy.querySelectorAll('select')) select.selectedIndex = 0;
    for (const error of copy.querySelectorAll('.error')) error.remove();
    for (const invalid of copy.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
    renumber(copy, rows.length);
    const legend = copy.querySelector('legend, th[scope=row]');
    if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(rows.length + 1));
    for (const labelled of copy.querySelectorAll('[aria-label]')) labelled.setAttribute('aria-label', labelled.getAttribute('aria-label').replace(/\d+/, String(rows.length + 1)));
    last.after(copy);
    copy.querySelector('input, select, textarea')?.focus();
  });
  // A table's button goes after the table, a list's at its end.
  if (list.tagName === 'TABLE') list.parentElement.after(button);
  else list.append(button);
}

async function sha256Hex(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

document.addEventListener('DOMContentLoaded', () => {
  for (const list of document.querySelectorAll('[data-rows]')) addRowButton(list);
  for (const input of document.querySelectorAll('input[type=file][data-text-into]')) {
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.dataset.textInto);
      if (file && target) target.value = await file.text();
    });
  }
  for (const input of document.querySelectorAll('input[type=file][data-sha256-into]')) {
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.dataset.sha256Into);
      if (file && target) target.value = await sha256Hex(file);
    });
  }
});
