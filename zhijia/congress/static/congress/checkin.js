// congress, check-in desk: optional camera scanning where the browser has the BarcodeDetector
// API; a USB or phone scanner typing into the field works everywhere. (Resetting the form after
// each check-in is app.js's data-reset-after-request.)
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = document.getElementById("camera-scan"), video = document.getElementById("camera-view");
  var input = document.querySelector("input[name=code]");
  if (!button || !video || !input) return;
  var form = input.form, busy = false;
  button.hidden = false;
  button.addEventListener("click", async function () {
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    video.hidden = false; await video.play();
    setInterval(async function () {
      if (busy) return;
      var codes = await detector.detect(video);
      if (codes.length && codes[0].rawValue !== input.dataset.last) {
        busy = true; input.value = codes[0].rawValue; input.dataset.last = codes[0].rawValue;
        form.requestSubmit(); setTimeout(function () { busy = false; }, 1500);
      }
    }, 400);
  });
})();
