// dashboard: the figures' charts drawn with Apache ECharts, served from the site's own static
// files (zhijia/static/vendor/echarts/, put there by make install; no CDN).
// Each chart of the page is a [data-chart="ID"] box holding the server-drawn SVG bars, and
// <script type="application/json" id="ID"> holds its data (zhijia/dashboard/charts.py):
//   {kind: "bar"|"line", label, unit, url, labels: [...], values: [...], shown: [...],
//    tips: [...], description}   (the texts made by the server, in the page's language)
// A breakdown is drawn as horizontal bars, a trend by month as a line. The SVG is hidden (the
// box gets .is-drawn) only once ECharts has drawn: without ECharts (not installed, not loaded)
// or on any error the SVG stays. Clicking a bar or a point follows the figure's drill-down
// link when the viewer has one. Charts are redrawn to their box's width on resizing.
// Tooltips are drawn on the canvas (renderMode "richText"): no HTML is made from the labels,
// and no inline style attribute meets the Content-Security-Policy.
(function () {
  "use strict";
  var echarts = window.echarts;
  if (!echarts || typeof echarts.init !== "function") return;

  var RED = "#b22222";
  var FONT = 13;
  var ROW = 24; // px per bar
  var LINE_HEIGHT = 200; // px of a trend
  var locale = /^zh/i.test(document.documentElement.lang || "zh") ? "ZH" : "EN";
  var drawn = [];

  // Roughly the width of a text in px (a CJK character is about one em, others half).
  function textWidth(text) {
    var width = 0;
    for (var i = 0; i < text.length; i++) width += text.charCodeAt(i) > 0x2e80 ? FONT : FONT * 0.6;
    return Math.ceil(width);
  }

  function common(data) {
    return {
      animation: false,
      // What a screen reader is told instead of the picture: every row and its value.
      aria: {enabled: true, label: {description: data.description}},
      textStyle: {fontSize: FONT},
      tooltip: {
        renderMode: "richText",
        confine: true,
        formatter: function (p) {
          if (Array.isArray(p)) p = p[0];
          return data.tips[p.dataIndex];
        },
      },
    };
  }

  function barOption(data, width) {
    var valueWidth = Math.max.apply(null, data.shown.map(textWidth)) + 8;
    var option = common(data);
    option.tooltip.trigger = "item";
    // The labels take at most a third of a phone's width (truncated; the tooltip has them whole).
    option.grid = {left: 4, right: valueWidth, top: 4, bottom: 4, containLabel: true};
    option.xAxis = {type: "value", show: false, min: 0};
    option.yAxis = {
      type: "category",
      inverse: true,
      data: data.labels,
      axisTick: {show: false},
      axisLine: {show: false},
      axisLabel: {color: "#333", width: Math.max(64, Math.min(140, width * 0.34)), overflow: "truncate"},
    };
    option.series = [{
      type: "bar",
      data: data.values,
      barMaxWidth: 16,
      cursor: data.url ? "pointer" : "default",
      itemStyle: {color: RED, borderRadius: 2},
      label: {
        show: true,
        position: "right",
        color: "#111",
        formatter: function (p) { return data.shown[p.dataIndex]; },
      },
    }];
    return option;
  }

  function lineOption(data) {
    var option = common(data);
    option.tooltip.trigger = "axis";
    option.grid = {left: 4, right: 16, top: 16, bottom: 4, containLabel: true};
    option.xAxis = {type: "category", data: data.labels, boundaryGap: false, axisLabel: {color: "#333"}};
    option.yAxis = {
      type: "value",
      min: 0,
      max: data.unit === "%" ? 100 : null,
      axisLabel: {color: "#333", formatter: data.unit === "%" ? "{value}%" : "{value}"},
    };
    option.series = [{
      type: "line",
      data: data.values,
      cursor: data.url ? "pointer" : "default",
      symbolSize: 7,
      itemStyle: {color: RED},
      lineStyle: {color: RED, width: 2},
    }];
    return option;
  }

  function option(data, width) {
    return data.kind === "line" ? lineOption(data) : barOption(data, width);
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data || !data.labels || !data.labels.length) return;
    var el = document.createElement("div");
    el.className = "dash-echart";
    el.setAttribute("role", "img");
    // Through the CSSOM, which the Content-Security-Policy allows (a style="" would not be).
    el.style.height = (data.kind === "line" ? LINE_HEIGHT : data.labels.length * ROW + 8) + "px";
    box.appendChild(el);
    var chart;
    try {
      chart = echarts.init(el, null, {renderer: "canvas", locale: locale});
      chart.setOption(option(data, el.clientWidth));
    } catch (error) {
      if (chart) chart.dispose();
      el.remove(); // the SVG bars stay
      return;
    }
    if (data.url) {
      chart.on("click", function () { window.location.assign(data.url); });
    }
    box.classList.add("is-drawn");
    drawn.push({chart: chart, data: data, el: el});
  }

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    try {
      draw(box);
    } catch (error) {
      // Bad data for one chart: it keeps its SVG, the others are still drawn.
    }
  });

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      drawn.forEach(function (d) {
        d.chart.setOption(option(d.data, d.el.clientWidth));
        d.chart.resize();
      });
    });
  });
})();
