// Swagger UI over Plaza's descriptions: every service merged, or one service at a time (the selector top right).
// A file rather than an inline script: /docs's Content-Security-Policy allows scripts from this origin only.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { url: "/openapi?format=json", name: "Plaza (every service)" },
      { url: "/openapi/auth?format=json", name: "auth" },
      { url: "/openapi/chat?format=json", name: "chat" },
      { url: "/openapi/assistant?format=json", name: "assistant" },
      { url: "/openapi/catalog?format=json", name: "catalog" },
      { url: "/openapi/recipe?format=json", name: "recipe" },
      { url: "/openapi/events?format=json", name: "events" }
    ],
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
