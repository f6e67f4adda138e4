/**
 * Both languages of the recipient page, for the server (pages, metadata, tests): importing this module
 * registers them with `recipientDictionary()`. The browser loads only its own language instead
 * (components/recipient/texts.tsx).
 */
import "./recipient-ru";
import "./recipient-en";
