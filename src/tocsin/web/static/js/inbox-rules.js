/* The rule builder on /inbox/settings?tab=rules (no framework; the CSP forbids inline scripts).
 *
 * Rows of conditions (field, operator, value) joined by ALL or ANY, and rows of actions (an
 * action and its parameters), written into the form's `conditions` and `actions` JSON fields
 * on every change: the server receives exactly what it receives without JavaScript, and
 * validates it the same way.  The vocabulary (fields, operators, actions and their
 * parameters) comes from the server in #rule-builder[data-vocabulary], read from the
 * automation engine.  A condition tree the rows cannot show (nested groups, NOT) is left to
 * the JSON field ("Advanced"), untouched.
 *
 * Example: "language is fr" + "add tags: billing" writes
 *   conditions = {"all": [{"field": "post.lang", "op": "eq", "value": "fr"}]}
 *   actions    = [{"type": "tag", "tags": ["billing"]}]
 */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function options(select, items, selected) {
    items.forEach(function (item) {
      var option = el("option", { value: String(item.value), text: item.label });
      if (String(item.value) === String(selected)) option.selected = true;
      select.appendChild(option);
    });
    return select;
  }

  function scalar(text) {
    var value = text.trim();
    if (value === "true" || value === "false") return value === "true";
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    return value;
  }

  function show(value) {
    if (Array.isArray(value)) return value.join(", ");
    return value === null || value === undefined ? "" : String(value);
  }

  function parse(text, fallback) {
    if (!text.trim()) return fallback;
    try {
      return JSON.parse(text);
    } catch (e) {
      return undefined;
    }
  }

  function isLeaf(node) {
    return node && typeof node === "object" && !Array.isArray(node) && "field" in node;
  }

  /* {} | leaf | {"all"|"any": [leaf…]} → {mode, leaves}; anything else → null (JSON only). */
  function flatten(tree) {
    if (tree === undefined) return null;
    if (!tree || (typeof tree === "object" && Object.keys(tree).length === 0)) {
      return { mode: "all", leaves: [] };
    }
    if (isLeaf(tree)) return { mode: "all", leaves: [tree] };
    var mode = Array.isArray(tree.all) ? "all" : Array.isArray(tree.any) ? "any" : null;
    if (!mode || Object.keys(tree).length !== 1 || !tree[mode].every(isLeaf)) return null;
    return { mode: mode, leaves: tree[mode] };
  }

  function Builder(root, form) {
    this.root = root;
    this.form = form;
    this.vocab = JSON.parse(root.getAttribute("data-vocabulary"));
    this.actionsByName = {};
    this.vocab.actions.forEach(function (a) { this.actionsByName[a.name] = a; }, this);
    this.texts = this.vocab.texts;
    this.conditionsField = form.querySelector("#rule-conditions");
    this.actionsField = form.querySelector("#rule-actions");
  }

  Builder.prototype.button = function (label, cls, onClick) {
    var button = el("button", { type: "button", class: "btn btn-small " + cls, text: label });
    button.addEventListener("click", onClick);
    return button;
  };

  Builder.prototype.render = function () {
    var self = this;
    this.root.textContent = "";
    var conditions = flatten(parse(this.conditionsField.value, {}));
    var actions = parse(this.actionsField.value, []);
    var known = Array.isArray(actions) && actions.every(function (a) {
      return a && self.actionsByName[a.type];
    });
    this.conditionRows = null;
    this.actionRows = null;

    var condBox = el("fieldset", { class: "builder-box", id: "builder-conditions" });
    condBox.appendChild(el("legend", { text: this.texts.conditions }));
    if (conditions) {
      this.mode = options(el("select", { class: "cond-mode", "aria-label": this.texts.match }), [
        { value: "all", label: this.texts.all },
        { value: "any", label: this.texts.any },
      ], conditions.mode);
      condBox.appendChild(el("label", { class: "builder-mode" }, [
        el("span", { text: this.texts.match + " " }), this.mode,
      ]));
      this.conditionRows = el("div", { class: "builder-rows" });
      conditions.leaves.forEach(function (leaf) {
        self.conditionRows.appendChild(self.conditionRow(leaf));
      });
      condBox.appendChild(this.conditionRows);
      condBox.appendChild(this.button("+ " + this.texts.add_condition, "add-condition", function () {
        self.conditionRows.appendChild(self.conditionRow({}));
        self.write();
      }));
    } else {
      condBox.appendChild(el("p", { class: "muted small builder-complex", text: this.texts.complex }));
    }
    this.root.appendChild(condBox);

    var actBox = el("fieldset", { class: "builder-box", id: "builder-actions" });
    actBox.appendChild(el("legend", { text: this.texts.actions }));
    if (known) {
      this.actionRows = el("div", { class: "builder-rows" });
      actions.forEach(function (action) {
        self.actionRows.appendChild(self.actionRow(action));
      });
      actBox.appendChild(this.actionRows);
      actBox.appendChild(this.button("+ " + this.texts.add_action, "add-action", function () {
        self.actionRows.appendChild(self.actionRow({ type: self.vocab.actions[0].name }));
        self.write();
      }));
    } else {
      actBox.appendChild(el("p", { class: "muted small builder-complex", text: this.texts.complex }));
    }
    this.root.appendChild(actBox);
  };

  Builder.prototype.conditionRow = function (leaf) {
    var self = this;
    var field = options(el("select", { class: "cond-field", "aria-label": this.texts.field }),
      this.vocab.fields.map(function (f) { return { value: f.name, label: f.label }; }),
      leaf.field);
    var op = options(el("select", { class: "cond-op", "aria-label": this.texts.operator }),
      this.vocab.operators.map(function (o) { return { value: o.name, label: o.label }; }),
      leaf.op || "eq");
    var value = el("input", {
      class: "cond-value", type: "text", "aria-label": this.texts.value,
      placeholder: this.texts.value,
    });
    value.value = show(leaf.value);
    var row = el("div", { class: "builder-row rule-condition" }, [field, op, value]);
    row.appendChild(this.button("×", "remove-row", function () {
      row.remove();
      self.write();
    }));
    row.lastChild.setAttribute("aria-label", this.texts.remove);
    return row;
  };

  Builder.prototype.paramInput = function (param, value) {
    var choices = this.vocab.choices[param.name];
    var input;
    if (choices && choices.length) {
      input = el("select", {});
      if (!param.required) input.appendChild(el("option", { value: "", text: this.texts.none }));
      options(input, choices, value === undefined || value === null ? "" : value);
    } else if (param.kind === "bool") {
      input = el("input", { type: "checkbox" });
      input.checked = value === undefined ? Boolean(param["default"]) : Boolean(value);
    } else if (param.kind === "text" && (param.max_length || 0) > 500) {
      input = el("textarea", { rows: "2" });
      input.value = show(value);
    } else {
      var numeric = param.kind === "int" || param.kind === "number";
      input = el("input", { type: numeric ? "number" : "text" });
      if (param.min !== null && param.min !== undefined) input.setAttribute("min", param.min);
      if (param.max !== null && param.max !== undefined) input.setAttribute("max", param.max);
      if (/s$/.test(param.kind)) input.setAttribute("placeholder", this.texts.list_hint);
      input.value = show(value === undefined ? param["default"] : value);
    }
    input.setAttribute("data-param", param.name);
    input.setAttribute("data-kind", param.kind);
    return el("label", { class: "builder-param" }, [el("span", { text: param.label }), input]);
  };

  Builder.prototype.actionRow = function (action) {
    var self = this;
    var type = options(el("select", { class: "action-type", "aria-label": self.texts.action }),
      this.vocab.actions.map(function (a) { return { value: a.name, label: a.label }; }),
      action.type);
    var params = el("div", { class: "builder-params" });
    var row = el("div", { class: "builder-row rule-action" }, [type, params]);
    function fill(values) {
      params.textContent = "";
      self.actionsByName[type.value].params.forEach(function (param) {
        params.appendChild(self.paramInput(param, values[param.name]));
      });
    }
    fill(action);
    type.addEventListener("change", function () {
      fill({});
      self.write();
    });
    row.appendChild(this.button("×", "remove-row", function () {
      row.remove();
      self.write();
    }));
    row.lastChild.setAttribute("aria-label", this.texts.remove);
    return row;
  };

  function paramValue(input) {
    var kind = input.getAttribute("data-kind");
    if (input.type === "checkbox") return input.checked;
    var text = input.value.trim();
    if (!text) return undefined;
    if (kind === "ints" || kind === "numbers") {
      return text.split(",").map(Number).filter(function (n) { return !isNaN(n); });
    }
    if (kind === "texts") {
      return text.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    }
    if (kind === "int" || kind === "number" || input.tagName === "SELECT") {
      return isNaN(Number(text)) ? text : Number(text);
    }
    return input.value;
  }

  Builder.prototype.write = function () {
    var ops = {};
    this.vocab.operators.forEach(function (o) { ops[o.name] = o; });
    if (this.conditionRows) {
      var leaves = [];
      this.conditionRows.querySelectorAll(".rule-condition").forEach(function (row) {
        var op = row.querySelector(".cond-op").value;
        var text = row.querySelector(".cond-value").value;
        var value;
        if (ops[op] && ops[op].list) {
          value = text.split(",").map(function (s) { return s.trim(); }).filter(Boolean).map(scalar);
        } else if (op === "exists") {
          value = text.trim() === "" ? true : scalar(text);
        } else {
          value = scalar(text);
        }
        leaves.push({ field: row.querySelector(".cond-field").value, op: op, value: value });
      });
      var tree = {};
      if (leaves.length) tree[this.mode.value] = leaves;
      this.conditionsField.value = leaves.length ? JSON.stringify(tree) : "";
    }
    if (this.actionRows) {
      var actions = [];
      this.actionRows.querySelectorAll(".rule-action").forEach(function (row) {
        var action = { type: row.querySelector(".action-type").value };
        row.querySelectorAll("[data-param]").forEach(function (input) {
          var value = paramValue(input);
          if (value !== undefined) action[input.getAttribute("data-param")] = value;
        });
        actions.push(action);
      });
      this.actionsField.value = actions.length ? JSON.stringify(actions) : "";
    }
  };

  Builder.prototype.start = function () {
    var self = this;
    this.render();
    this.root.hidden = false;
    this.form.querySelector("#rule-json").open = false;
    this.root.addEventListener("input", function () { self.write(); });
    this.root.addEventListener("change", function () { self.write(); });
    [this.conditionsField, this.actionsField].forEach(function (field) {
      field.addEventListener("change", function () { self.render(); });
    });
    this.form.addEventListener("submit", function () { self.write(); });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("rule-builder");
    var form = document.getElementById("rule-form");
    if (root && form) new Builder(root, form).start();
  });
})();
