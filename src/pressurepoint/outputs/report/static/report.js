/* pressurepoint static report: the gap matrix (render, sort, filter, page the embedded
   rows) and the company table filter. Plain DOM, no library, no network; every text is
   set with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var STATUS_RANK = { L: 0, X: 1 };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function GapMatrix(table, data) {
    this.table = table;
    this.codes = data.codes;
    this.families = data.families || {};
    this.pageSize = parseInt(table.getAttribute("data-page-size"), 10) || 100;
    this.rows = data.rows.map(function (r, i) {
      return { index: i, id: r[0], file: r[1], name: r[2], schema: r[3], birth: r[4],
               search: r[5], cells: r[6], age: r[7], families: r[8] || {} };
    });
    this.state = { text: "", schema: "", regime: "", gapsOnly: false, perCode: {},
                   sort: null, descending: false, page: 0 };
    this.shown = this.rows;
  }

  /* The cells and gap age of a row in the current regime view (null: not in it). */
  GapMatrix.prototype.view = function (row) {
    if (!this.state.regime) { return { cells: row.cells, age: row.age }; }
    var found = row.families[this.state.regime];
    return found ? { cells: found[0], age: found[1] } : null;
  };

  GapMatrix.prototype.visibleCodes = function () {
    return this.state.regime ? (this.families[this.state.regime] || []) : this.codes;
  };

  GapMatrix.prototype.derive = function (row) {
    var view = this.view(row);
    if (!view) { return null; }
    var codes = this.visibleCodes(), self = this;
    var status = {}, listed = 0;
    codes.forEach(function (code) {
      var cell = view.cells[self.codes.indexOf(code)];
      status[code] = cell ? cell[0] : "";
      if (status[code] === "L") { listed += 1; }
    });
    return { row: row, cells: view.cells, age: view.age, status: status, listed: listed };
  };

  GapMatrix.prototype.keep = function (item) {
    var state = this.state;
    if (state.text && item.row.search.indexOf(state.text) < 0) { return false; }
    if (state.schema && item.row.schema !== state.schema) { return false; }
    var gaps = 0, codes = this.visibleCodes();
    for (var i = 0; i < codes.length; i++) {
      var code = codes[i], s = item.status[code];
      var gap = s !== "L" && item.listed > 0;
      if (gap) { gaps += 1; }
      var want = state.perCode[code];
      if (want === "listed" && s !== "L") { return false; }
      if (want === "not" && s === "L") { return false; }
      if (want === "lifted" && s !== "X") { return false; }
      if (want === "gap" && !gap) { return false; }
    }
    return !(state.gapsOnly && gaps === 0);
  };

  GapMatrix.prototype.sortKey = function (item) {
    var key = this.state.sort, codes = this.codes;
    if (key === "name") { return item.row.name.toLowerCase(); }
    if (key === "schema") { return item.row.schema; }
    if (key === "birth") { return item.row.birth || "~"; }
    if (key === "listed") { return item.listed; }
    if (key === "age") { return item.age === null ? -1 : item.age; }
    var cell = item.cells[codes.indexOf(key)];
    return cell ? STATUS_RANK[cell[0]] + ":" + (cell[0] === "L" ? cell[1] : cell[2]) : "2:";
  };

  GapMatrix.prototype.apply = function () {
    var self = this;
    var items = this.rows.map(function (r) { return self.derive(r); })
      .filter(function (item) { return item && self.keep(item); });
    if (this.state.sort) {
      var sign = this.state.descending ? -1 : 1;
      items.forEach(function (item) { item.key = self.sortKey(item); });
      items.sort(function (a, b) {
        return sign * compare(a.key, b.key) || a.row.index - b.row.index;
      });
    }
    this.shown = items;
    /* a jurisdiction without designations under the chosen regime has no column: its
       filter does not apply, and says so by being disabled */
    var visible = this.visibleCodes();
    Array.prototype.forEach.call(document.querySelectorAll("select.f-code"), function (select) {
      select.disabled = visible.indexOf(select.getAttribute("data-code")) < 0;
    });
    var pages = Math.max(1, Math.ceil(items.length / this.pageSize));
    this.state.page = Math.min(this.state.page, pages - 1);
    this.render();
  };

  GapMatrix.prototype.renderHead = function () {
    var self = this, head = this.table.tHead, tr = el("tr");
    var columns = [["name", "Name"], ["schema", "Type"], ["birth", "Born"]]
      .concat(this.visibleCodes().map(function (c) { return [c, c]; }))
      .concat([["listed", "Listed by"], ["age", "Gap days"]]);
    columns.forEach(function (column) {
      var th = el("th"), button = el("button", { type: "button", "class": "sort",
                                                 "data-key": column[0] }, column[1]);
      if (self.state.sort === column[0]) {
        th.setAttribute("aria-sort", self.state.descending ? "descending" : "ascending");
      }
      button.addEventListener("click", function () { self.sortBy(column[0]); });
      th.appendChild(button);
      tr.appendChild(th);
    });
    head.replaceChildren(tr);
  };

  GapMatrix.prototype.renderCell = function (item, code) {
    var cell = item.cells[this.codes.indexOf(code)];
    var href = item.row.file + "#j-" + encodeURIComponent(code);
    var gap = item.status[code] !== "L" && item.listed > 0;
    if (!cell) {
      return el("td", { "class": gap ? "none gap" : "none",
                        title: gap ? "not listed (gap)" : "not listed" }, "—");
    }
    var td = el("td", { "class": cell[0] === "L" ? "listed" : (gap ? "lifted gap" : "lifted") });
    td.appendChild(el("a", { href: href },
                      cell[0] === "L" ? "✓ " + cell[1] : "lifted " + cell[2]));
    return td;
  };

  GapMatrix.prototype.render = function () {
    var self = this, body = this.table.tBodies[0];
    var start = this.state.page * this.pageSize;
    var page = this.shown.slice(start, start + this.pageSize);
    var fragment = document.createDocumentFragment();
    page.forEach(function (item) {
      var tr = el("tr", { "data-id": item.row.id });
      var name = el("td");
      name.appendChild(el("a", { href: item.row.file }, item.row.name));
      tr.appendChild(name);
      tr.appendChild(el("td", {}, item.row.schema));
      tr.appendChild(el("td", {}, item.row.birth));
      self.visibleCodes().forEach(function (code) { tr.appendChild(self.renderCell(item, code)); });
      tr.appendChild(el("td", {}, item.listed));
      tr.appendChild(el("td", {}, item.age === null ? "" : item.age));
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    this.renderHead();
    var total = this.shown.length;
    document.getElementById("matrix-count").textContent =
      total + " of " + this.rows.length + " entities";
    document.getElementById("page-info").textContent = total ?
      "rows " + (start + 1) + "–" + (start + page.length) : "no rows";
    document.getElementById("page-prev").disabled = this.state.page === 0;
    document.getElementById("page-next").disabled = start + this.pageSize >= total;
  };

  GapMatrix.prototype.sortBy = function (key) {
    if (this.state.sort === key) {
      this.state.descending = !this.state.descending;
    } else {
      this.state.sort = key;
      this.state.descending = false;
    }
    this.state.page = 0;
    this.apply();
  };

  GapMatrix.prototype.bind = function () {
    var self = this, state = this.state;
    function onChange(id, event, update) {
      document.getElementById(id).addEventListener(event, function (e) {
        update(e.target);
        state.page = 0;
        self.apply();
      });
    }
    onChange("f-text", "input", function (t) { state.text = t.value.trim().toLowerCase(); });
    onChange("f-schema", "change", function (t) { state.schema = t.value; });
    onChange("f-regime", "change", function (t) { state.regime = t.value; });
    onChange("f-gaps", "change", function (t) { state.gapsOnly = t.checked; });
    Array.prototype.forEach.call(document.querySelectorAll("select.f-code"), function (select) {
      select.addEventListener("change", function () {
        state.perCode[select.getAttribute("data-code")] = select.value;
        state.page = 0;
        self.apply();
      });
    });
    document.getElementById("page-prev").addEventListener("click", function () {
      state.page = Math.max(0, state.page - 1);
      self.render();
    });
    document.getElementById("page-next").addEventListener("click", function () {
      state.page += 1;
      self.render();
    });
  };

  function initMatrix() {
    var table = document.getElementById("matrix");
    var source = document.getElementById("gap-data");
    if (!table || !source) { return; }
    var matrix = new GapMatrix(table, JSON.parse(source.textContent));
    matrix.bind();
    matrix.apply();
    table.setAttribute("data-ready", "true");
  }

  function initCompanies() {
    var table = document.getElementById("company-table");
    if (!table) { return; }
    var text = document.getElementById("c-text");
    var status = document.getElementById("c-status");
    var country = document.getElementById("c-country");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    function apply() {
      var needle = text.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (row) {
        var keep = (!needle || row.getAttribute("data-search").indexOf(needle) >= 0) &&
          (!status.value || row.getAttribute("data-status") === status.value) &&
          (!country.value ||
           row.getAttribute("data-countries").split(" ").indexOf(country.value) >= 0);
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      document.getElementById("c-count").textContent = shown + " of " + rows.length + " companies";
    }
    [text, status, country].forEach(function (control) {
      control.addEventListener(control === text ? "input" : "change", apply);
    });
    apply();
    table.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    /* the filters act as you type; Enter must not reload the page */
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    });
    initMatrix();
    initCompanies();
  });
}());
