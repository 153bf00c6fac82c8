// Comfort on top of pages that work without it: filters that apply on change, sortable
// tables, focus on a linked designation. No library, no network.
"use strict";

function autosubmit() {
  for (const field of document.querySelectorAll("select[data-autosubmit]")) {
    field.addEventListener("change", () => field.form && field.form.requestSubmit());
  }
}

// A file over the upload limit is refused by the server; say so before sending it.
function uploadLimit() {
  for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
    const limit = Number(input.dataset.maxBytes);
    const check = () => {
      const file = input.files && input.files[0];
      const tooLarge = file && file.size > limit;
      input.setCustomValidity(tooLarge
        ? `This file has ${Math.ceil(file.size / 1024)} KB; the limit is ${Math.floor(limit / 1024)} KB.`
        : "");
      if (tooLarge) input.reportValidity();
    };
    input.addEventListener("change", check);
  }
}

function cellValue(row, index) {
  const cell = row.children[index];
  if (!cell) return "";
  return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
}

function compare(a, b) {
  const x = Number(a), y = Number(b);
  if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.localeCompare(b, undefined, { sensitivity: "base" });
}

function sortable(table) {
  const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  headers.forEach((th, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((r, s) => compare(cellValue(r, index), cellValue(s, index)) * (ascending ? 1 : -1));
      rows.forEach((row) => body.appendChild(row));
    });
  });
}

function focusTarget() {
  if (!location.hash) return;
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tabIndex === -1) target.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  autosubmit();
  uploadLimit();
  document.querySelectorAll("table.sortable").forEach(sortable);
  focusTarget();
});
