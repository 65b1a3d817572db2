// Import by upload (the datasets page): the file streams to the gateway with the upload's progress shown, then the
// import's own progress (rows read) until it ends, with a link to the new version or the error in the person's terms.
(() => {
  const form = document.querySelector('form[data-upload]');
  if (!form) return;
  const status = form.querySelector('[role=status]');
  const bar = form.querySelector('progress');
  const say = (text, link) => {
    status.replaceChildren(text);
    if (link) {
      const a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      status.append(' ', a);
    }
  };
  const problem = body => {
    try { return JSON.parse(body).detail || body; } catch { return body || 'no answer'; }
  };
  const follow = async (name, operation) => {
    while (operation.state === 'running') {
      say(`Importing: ${operation.rowsRead.toLocaleString('en-US')} rows read…`);
      await new Promise(resolve => setTimeout(resolve, 500));
      const response = await fetch(`ui/operations/datasets/${encodeURIComponent(name)}/${encodeURIComponent(operation.id)}`, { credentials: 'same-origin' });
      if (!response.ok) { say(`The import's progress cannot be read: ${problem(await response.text())}`); return; }
      operation = await response.json();
    }
    if (operation.state === 'succeeded') {
      say(`Imported ${operation.rowsRead.toLocaleString('en-US')} rows as version ${operation.version}${operation.badRecords ? `, ${operation.badRecords.toLocaleString('en-US')} bad records set aside` : ''}.`,
        { href: `datasets/${encodeURIComponent(name)}`, text: `Open ${name}` });
    } else {
      say(`The import ${operation.state}: ${operation.error || 'no reason given'}`);
    }
  };
  form.addEventListener('submit', event => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    const file = form.elements.file.files[0];
    if (!name || !file) { say('Name the dataset and choose a file.'); return; }
    const request = new XMLHttpRequest();
    request.open('POST', `ui/upload/datasets/${encodeURIComponent(name)}?fileName=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('RequestVerificationToken', form.elements.__RequestVerificationToken.value);
    request.upload.onprogress = e => {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        say(`Uploading ${file.name}: ${Math.floor(100 * e.loaded / e.total)}%`);
      }
    };
    request.onload = () => {
      if (request.status >= 400) { say(`The upload was refused: ${problem(request.responseText)}`); return; }
      bar.value = bar.max;
      follow(name, JSON.parse(request.responseText));
    };
    request.onerror = () => say('The upload failed: the connection to the gateway was lost.');
    say(`Uploading ${file.name}…`);
    request.send(file);
  });
})();
