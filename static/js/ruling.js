/* The ruling form: the preview follows what the agent types (figures formatted by the server,
   as the pages write them), typing a split chooses it, and a standard reasoning
   picked in the list fills the textarea, to be edited. Without script, "Preview" posts. */
(function () {
  "use strict";
  var form = document.getElementById("ruling-form");
  if (!form) {
    return;
  }
  var names = ["refund", "gross", "fee", "net"];
  var error = document.getElementById("preview-error");
  var secondAgent = document.getElementById("preview-second-agent");
  var canned = document.getElementById("canned_reasoning");
  var timer = null;
  var asked = 0;

  function checked(name) {
    var input = form.querySelector("input[name='" + name + "']:checked");
    return input ? input.value : "";
  }

  function choose(name, value) {
    var input = form.querySelector("input[name='" + name + "'][value='" + value + "']");
    if (input) {
      input.checked = true;
    }
  }

  /* Typing a percentage or an amount says what the agent means: a split, by that measure. */
  function followTyping(target) {
    if (target.name === "designer_percent" || target.name === "designer_amount") {
      choose("outcome", "split");
      choose("split_by", target.name === "designer_percent" ? "percent" : "amount");
    }
  }

  function show(answer) {
    var figures = answer.ok ? answer.figures : null;
    names.forEach(function (name) {
      document.getElementById("preview-" + name).textContent = figures ? figures[name].text : "—";
    });
    error.hidden = answer.ok;
    error.textContent = answer.ok ? "" : (answer.errors || []).join(" ");
    var note = answer.ok ? (answer.second_agent || "") : "";
    secondAgent.hidden = !note;
    secondAgent.textContent = note;
  }

  function preview() {
    var params = new URLSearchParams();
    ["outcome", "split_by"].forEach(function (name) { params.set(name, checked(name)); });
    ["designer_percent", "designer_amount"].forEach(function (name) {
      params.set(name, form.elements[name].value);
    });
    var mine = ++asked;
    fetch(form.dataset.previewUrl + "?" + params.toString(), {credentials: "same-origin",
                                                              headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (mine === asked) {  // an older answer arriving late does not overwrite a newer one
          show(answer);
        }
      })
      .catch(function () { /* the server-side "Preview" button still works */ });
  }

  function changed(event) {
    if (event.target === form.elements.reasoning || event.target === canned) {
      return;
    }
    followTyping(event.target);
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 200);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  canned.addEventListener("change", function () {
    var option = canned.options[canned.selectedIndex];
    if (option && option.dataset.text) {
      form.elements.reasoning.value = option.dataset.text;
      form.elements.reasoning.focus();
    }
  });

  if (checked("outcome")) {
    preview();
  }
})();
