// The SPARQL editor of /query: CodeMirror 6 over the form's textarea, which it keeps in step,
// so the form (and query.js, which picks GET or POST) works the same as without it.
// - highlighting with CodeMirror's SPARQL mode; tokens carry `tok-*` classes styled by site.css
//   (no inline style: the pages' Content-Security-Policy forbids it);
// - completion of the prefixes the server declares and of the terms of our ontology (and of the
//   vocabularies it aligns to), read from the URL in the textarea's data-vocabulary;
// - Ctrl+Enter (Cmd+Enter) runs the query.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { syntaxHighlighting, StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { basicSetup, EditorView } from "codemirror";

const area = document.getElementById("query-text");

function run(form) {
  if (typeof form.requestSubmit === "function") {
    form.requestSubmit();
  } else {
    form.submit();
  }
  return true;
}

function declared(text) {
  const found = {};
  const pattern = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gi;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    found[match[1] || ""] = match[2];
  }
  return found;
}

function completer(vocabulary) {
  return (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    // After PREFIX: offer whole declarations of the prefixes we know.
    const prefixDeclaration = /PREFIX\s+([\w.-]*)$/i.exec(before);
    if (prefixDeclaration) {
      const word = context.matchBefore(/[\w.-]*/);
      return {
        from: word ? word.from : context.pos,
        options: Object.entries(vocabulary.prefixes).map(([prefix, namespace]) => ({
          label: `${prefix}: <${namespace}>`, type: "namespace", detail: "prefix",
        })),
      };
    }
    const name = context.matchBefore(/[A-Za-z][\w.-]*:[\w.-]*|[A-Za-z][\w.-]*/);
    if (!name || (name.from === name.to && !context.explicit)) {
      return null;
    }
    const typed = name.text;
    const colon = typed.indexOf(":");
    if (colon < 0) {
      // A bare word: the prefixes (declared in the query or known to the server).
      const prefixes = { ...vocabulary.prefixes, ...declared(context.state.doc.toString()) };
      return {
        from: name.from,
        options: Object.keys(prefixes).filter((p) => p).map((prefix) => ({
          label: `${prefix}:`, type: "namespace", detail: prefixes[prefix],
        })),
        validFor: /^[\w.-]*$/,
      };
    }
    const prefix = typed.slice(0, colon);
    const namespace = declared(context.state.doc.toString())[prefix] || vocabulary.prefixes[prefix];
    const terms = vocabulary.terms.filter((t) => t.namespace === namespace);
    if (!terms.length) {
      return null;
    }
    return {
      from: name.from + colon + 1,
      options: terms.map((t) => ({
        label: t.local, type: t.kind === "class" ? "class" : "property",
        detail: t.label || "", info: t.definition || undefined,
      })),
      validFor: /^[\w.-]*$/,
    };
  };
}

function upgrade(vocabulary) {
  const form = area.form;
  const view = new EditorView({
    state: EditorState.create({
      doc: area.value,
      extensions: [
        keymap.of([
          { key: "Mod-Enter", run: () => run(form) },
          ...completionKeymap,
        ]),
        basicSetup,
        StreamLanguage.define(sparql),
        syntaxHighlighting(classHighlighter),
        autocompletion({ override: [completer(vocabulary)], activateOnTyping: true }),
        EditorView.lineWrapping,
        // CodeMirror mounts its styles as <style> elements: the page's policy admits them by nonce.
        EditorView.cspNonce.of(area.getAttribute("data-style-nonce") || ""),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
        EditorView.editorAttributes.of({ class: "query-editor" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            area.value = update.state.doc.toString();
          }
        }),
      ],
    }),
  });
  area.classList.add("upgraded");
  area.setAttribute("aria-hidden", "true");
  area.tabIndex = -1;
  area.parentNode.insertBefore(view.dom, area.nextSibling);
  // Something else (a test, an extension) may set the textarea: follow it.
  area.addEventListener("input", () => {
    if (area.value !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: area.value } });
    }
  });
  window.archivekgEditor = view;
}

if (area && area.form) {
  const source = area.getAttribute("data-vocabulary");
  const empty = { prefixes: {}, terms: [] };
  (source ? fetch(source, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : empty)).catch(() => empty) : Promise.resolve(empty))
    .then(upgrade);
}
