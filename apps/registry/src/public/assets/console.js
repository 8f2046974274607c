// The console works without this script; it only adds conveniences: a row added to a list
// without a round trip, and the SHA-256 of a chosen file computed in the browser.
document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[type=file][data-sha256-into]')) {
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.dataset.sha256Into);
      if (!file || !target) return;
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      target.value = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    });
  }
});
