// Account activation list: the header checkbox selects every member on the page.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.classList.contains("acc-select-all")) return;
  for (const item of box.closest("table").querySelectorAll("input[name=ids]")) {
    item.checked = box.checked;
  }
});
