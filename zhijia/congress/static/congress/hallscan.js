// congress, a representative's session page: scan the hall's check-in QR code with the phone's
// camera where the browser has the BarcodeDetector API, and open it. Only this session's hall
// check-in address (same site, data-prefix) is followed; the phone's own camera app works
// everywhere else.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = document.getElementById("hall-scan"), video = document.getElementById("hall-scan-view");
  var message = document.getElementById("hall-scan-message");
  if (!button || !video || !message) return;
  var prefix = button.getAttribute("data-prefix");
  button.hidden = false;
  button.addEventListener("click", async function () {
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    video.srcObject = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    video.hidden = false; await video.play();
    var timer = setInterval(async function () {
      var codes = await detector.detect(video);
      if (!codes.length) return;
      var url;
      try { url = new URL(codes[0].rawValue, window.location.href); } catch (e) { url = null; }
      if (url && url.origin === window.location.origin && url.pathname.indexOf(prefix) === 0) {
        clearInterval(timer);
        video.srcObject.getTracks().forEach(function (t) { t.stop(); });
        window.location.assign(url.pathname);
      } else {
        message.textContent = button.getAttribute("data-wrong");
        message.hidden = false;
      }
    }, 400);
  });
})();
