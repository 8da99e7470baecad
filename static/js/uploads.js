// Forms with files (New transfer, the case order, a delivery: form[data-upload-form]): files
// dropped or picked are uploaded at once, in parts, through the resumable upload API
// (storefront/files/upload_api.py), with a progress bar per file and overall, and the
// server's check of each (a mesh's size, plain warnings) shown before the form is sent.
// A dropped connection is retried with backoff from the byte the server says it has.
// Without JavaScript the form posts the files itself. Also: the "Copy" button of a link page.
(function () {
  "use strict";

  const MAX_BACKOFF_MS = 30000;
  const MAX_ATTEMPTS = 12; // per request, then the file is marked as failed
  const CHECK_POLL_MS = 2000;
  const CHECK_POLLS = 60; // the check is a job: after two minutes the page stops asking

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        const input = document.getElementById(button.dataset.copy);
        input.select();
        const done = function () {
          const label = button.textContent;
          button.textContent = button.dataset.copied;
          setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
        } else {
          document.execCommand("copy");
          done();
        }
      });
    });
  }

  function text(form, name, values) {
    let value = form.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) { value = value.replace("{" + key + "}", values[key]); });
    return value;
  }

  // Decimal units in the page's language, as the server's file_size filter writes them
  // ("2.1 GB", "2,1 Go").
  function humanSize(bytes) {
    const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
    let value = bytes, unit = 0;
    while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit += 1; }
    return new Intl.NumberFormat(document.documentElement.lang || "en",
      { style: "unit", unit: units[unit], unitDisplay: unit ? "short" : "long", maximumFractionDigits: 1 }).format(value);
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // One file's upload: start, then PUT parts from `received`; on a network error or a 5xx,
  // ask the server where it stands (HEAD) and go on from there after a growing pause.
  function Upload(form, file, csrf, onProgress) {
    this.form = form; this.file = file; this.csrf = csrf; this.onProgress = onProgress;
    this.received = 0; this.sending = 0; this.done = false; this.failed = false; this.fileId = null;
  }

  Upload.prototype.request = function (method, url, body, contentType) {
    const headers = { "X-CSRFToken": this.csrf, "Accept": "application/json" };
    if (contentType) { headers["Content-Type"] = contentType; }
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" });
  };

  Upload.prototype.run = async function () {
    const kind = this.form.dataset.uploadKind || (this.form.querySelector("input[name=kind]:checked") || {}).value;
    const started = await this.request("POST", this.form.dataset.startUrl,
      JSON.stringify({ filename: this.file.name, size: this.file.size, kind: kind }), "application/json");
    const status = await started.json();
    if (!started.ok) { throw new Error(status.error || started.statusText); }
    this.url = status.url;
    this.step = status.request_bytes;
    let attempt = 0;
    while (!this.done) {
      try {
        await this.sendFrom(this.received);
        attempt = 0;
      } catch (error) {
        if (error.permanent || ++attempt > MAX_ATTEMPTS) { throw error; }
        const wait = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempt - 1));
        this.onProgress(this, text(this.form, "textRetry", { s: Math.round(wait / 1000) }));
        await sleep(wait);
        await this.resync();
      }
    }
  };

  // PUT one request's bytes with XMLHttpRequest rather than fetch: only XHR reports how much
  // of a body has gone, so the bar moves during a request of many megabytes on a slow line.
  Upload.prototype.put = function (url, body) {
    const upload = this;
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("X-CSRFToken", upload.csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = function (event) {
        upload.sending = event.loaded;
        upload.onProgress(upload);
      };
      xhr.onload = function () {
        let status = {};
        try { status = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON: a proxy's error page */ }
        resolve({ status: xhr.status, ok: xhr.status >= 200 && xhr.status < 300, statusText: xhr.statusText, body: status });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { reject(new Error(text(upload.form, "textOffline"))); };
      xhr.send(body);
    });
  };

  Upload.prototype.sendFrom = async function (offset) {
    const end = Math.min(offset + this.step, this.file.size);
    let response;
    try {
      response = await this.put(this.url + "?offset=" + offset, this.file.slice(offset, end));
    } finally {
      this.sending = 0; // what did arrive, the server says (HEAD) before the next attempt
    }
    const status = response.body;
    if (response.status === 409 && typeof status.expected === "number") {
      this.received = status.expected; // the server has more (or less) than we thought: go on from there
      return;
    }
    if (!response.ok) {
      const error = new Error(status.error || response.statusText);
      error.permanent = response.status < 500;
      throw error;
    }
    this.received = status.received_bytes;
    this.onProgress(this);
    if (status.complete) { this.done = true; this.fileId = status.file_id; this.check = status.check; }
  };

  Upload.prototype.resync = async function () {
    try {
      const response = await this.request("HEAD", this.url);
      const offset = parseInt(response.headers.get("Upload-Offset"), 10);
      if (response.ok && !isNaN(offset)) { this.received = offset; }
    } catch (ignored) { /* still offline: the next attempt will tell */ }
  };

  function uploadForm(form) {
    const input = form.querySelector("input[type=file]");
    const list = form.querySelector("[data-upload-list]");
    const zone = form.querySelector("[data-dropzone]");
    const overall = form.querySelector("[data-overall]");
    const overallBar = form.querySelector("[data-overall-bar]");
    const overallText = form.querySelector("[data-overall-text]");
    const formError = form.querySelector("[data-form-error]");
    const csrf = form.querySelector("input[name$=csrf_token]").value; // a prefixed form names it "deliver-csrf_token"
    const limit = parseInt(form.dataset.uploadLimit, 10);
    const uploads = [];

    function showError(message) {
      formError.textContent = message || "";
      formError.hidden = !message;
    }

    function refreshOverall() {
      const total = uploads.reduce(function (sum, u) { return sum + u.file.size; }, 0);
      const sent = uploads.reduce(function (sum, u) {
        return sum + (u.failed ? 0 : Math.min(u.received + u.sending, u.file.size));
      }, 0);
      const percent = total ? Math.floor(100 * sent / total) : 100;
      overall.hidden = uploads.length === 0;
      overallBar.value = percent;
      overallText.textContent = percent + "% · " + humanSize(sent) + " / " + humanSize(total);
    }

    function row(upload) {
      const item = document.createElement("li");
      item.className = "upload";
      const name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = upload.file.name;
      const bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", upload.file.name);
      const state = document.createElement("span");
      state.className = "small muted upload-state";
      state.textContent = text(form, "textWaiting");
      item.append(name, bar, state);
      list.appendChild(item);
      upload.item = item; upload.bar = bar; upload.state = state;
    }

    function progress(upload, message) {
      const sent = upload.done ? upload.file.size : Math.min(upload.received + upload.sending, upload.file.size);
      const percent = upload.file.size ? Math.floor(100 * sent / upload.file.size) : 100;
      upload.bar.value = upload.done ? 100 : percent;
      upload.state.textContent = message || (upload.done ? text(form, "textDone")
        : percent + "% · " + humanSize(sent) + " / " + humanSize(upload.file.size));
      refreshOverall();
    }

    // What the server's read-back check found; it runs as a job, so ask again until it is done.
    function showCheck(upload, polls) {
      const check = upload.check;
      if (!check) { return; }
      if (check.failed) {
        upload.item.classList.remove("upload-done");
        upload.item.classList.add("upload-failed");
        upload.item.querySelector("input[name=file_id]").remove();
        upload.state.textContent = text(form, "textCheckFailed");
        refreshOverall();
        return;
      }
      if (!check.done) {
        upload.state.textContent = text(form, "textChecking");
        if (polls < CHECK_POLLS) {
          setTimeout(function () {
            upload.request("GET", upload.url).then(function (response) { return response.json(); })
              .then(function (status) { upload.check = status.check; }, function () { /* asked again below */ })
              .then(function () { showCheck(upload, polls + 1); });
          }, CHECK_POLL_MS);
        }
        return;
      }
      upload.state.textContent = text(form, "textDone");
      if (check.summary) {
        const summary = document.createElement("span");
        summary.className = "small muted mesh-summary";
        summary.textContent = check.summary;
        upload.item.appendChild(summary);
      }
      if (check.warnings && check.warnings.length) {
        const warnings = document.createElement("ul");
        warnings.className = "mesh-warnings";
        check.warnings.forEach(function (warning) {
          const line = document.createElement("li");
          line.textContent = warning;
          warnings.appendChild(line);
        });
        upload.item.appendChild(warnings);
        upload.item.classList.add("upload-warned");
      }
    }

    function add(files) {
      showError("");
      Array.prototype.forEach.call(files, function (file) {
        const upload = new Upload(form, file, csrf, progress);
        uploads.push(upload);
        row(upload);
        if (file.size > limit) {
          upload.failed = true;
          upload.item.classList.add("upload-failed");
          upload.state.textContent = text(form, "textTooLarge");
          return;
        }
        upload.run().then(function () {
          const hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = "file_id"; hidden.value = upload.fileId;
          upload.item.appendChild(hidden);
          upload.item.classList.add("upload-done");
          progress(upload);
          showCheck(upload, 0);
        }, function (error) {
          upload.failed = true;
          upload.item.classList.add("upload-failed");
          upload.state.textContent = text(form, "textFailed") + ": " + error.message;
          refreshOverall();
        });
      });
      refreshOverall();
    }

    function takeChosen() {
      if (!input.files.length) { return; }
      add(input.files);
      input.value = ""; // the files travel through the upload API, not with the form
    }
    input.addEventListener("change", takeChosen);
    takeChosen(); // files picked while the page was still loading, before this script ran
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("dropzone-over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dropzone-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) { add(event.dataTransfer.files); }
    });

    // In the capture phase, so that a refusal here also stops the page's own submit handler
    // (the message composer sends by fetch).
    form.addEventListener("submit", function (event) {
      let refusal = null;
      if (uploads.some(function (u) { return !u.done && !u.failed; })) {
        refusal = text(form, "textBusy");
      } else if ("filesRequired" in form.dataset && !form.querySelector("input[name=file_id]")) {
        refusal = text(form, "textNone");
      }
      if (refusal) {
        event.preventDefault();
        event.stopImmediatePropagation();
        showError(refusal);
      }
    }, true);
    // A form that stays on the page once sent (the composer) starts again empty.
    form.addEventListener("reset", function () {
      uploads.length = 0;
      list.replaceChildren();
      showError("");
      refreshOverall();
    });
  }

  copyButtons();
  if (window.fetch) { document.querySelectorAll("form[data-upload-form]").forEach(uploadForm); }
})();
