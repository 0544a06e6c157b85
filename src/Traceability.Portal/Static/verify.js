// Drag and drop onto the verify form's file inputs. The form works without this script.
"use strict";
document.querySelectorAll(".drop[data-for]").forEach(function (zone) {
  var input = document.getElementById(zone.getAttribute("data-for"));
  var hint = document.getElementById(input.id + "-hint");
  function show() {
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    if (hint) hint.textContent = names.length ? "chosen: " + names.join(", ") : "or drop it here";
  }
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    var files = new DataTransfer();
    var list = input.multiple ? e.dataTransfer.files : [e.dataTransfer.files[0]];
    Array.prototype.forEach.call(list, function (f) { files.items.add(f); });
    input.files = files.files;
    show();
  });
  input.addEventListener("change", show);
});
