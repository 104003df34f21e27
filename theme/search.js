'use strict';

/* global Mark, elasticlunr, path_to_root */

// The handbook's search: mdBook's searcher (keyboard shortcuts, address parameters, teasers,
// highlighting), with the index in shards by kind of page (loaded as scripts, so that it works
// from file:// and under the site's policy), the protocols' own text ranked first, filters by
// protocol and by kind, and the protocols' different words for one thing found together.
// Written over mdBook's searcher-<hash>.js by the book builder (book/builder/src/search.rs).
// Pages do not load it: theme/handbook.js does, with elasticlunr and mark.js, the first time
// the reader asks for search, then hands the reader's action over to it.

window.search = window.search || {};
(function search() {
    // Search functionality
    //
    // You can use !hasFocus() to prevent keyhandling in your key
    // event handlers while the user is typing their search.

    // theme/handbook.js loads this script after elasticlunr and mark.js, when the reader first
    // asks for search; if either did not load, this does nothing (handbook.js says so) rather
    // than throw.
    if (typeof Mark === 'undefined' || typeof elasticlunr === 'undefined') {
        return;
    }

    // eslint-disable-next-line max-len
    // IE 11 Compatibility from https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/String/startsWith
    if (!String.prototype.startsWith) {
        String.prototype.startsWith = function(search, pos) {
            return this.substr(!pos || pos < 0 ? 0 : +pos, search.length) === search;
        };
    }

    const search_wrap = document.getElementById('mdbook-search-wrapper'),
        searchbar_outer = document.getElementById('mdbook-searchbar-outer'),
        searchbar = document.getElementById('mdbook-searchbar'),
        searchresults = document.getElementById('mdbook-searchresults'),
        searchresults_outer = document.getElementById('mdbook-searchresults-outer'),
        searchresults_header = document.getElementById('mdbook-searchresults-header'),
        searchicon = document.getElementById('mdbook-search-toggle'),
        content = document.getElementById('mdbook-content'),

        // SVG text elements don't render if inside a <mark> tag.
        mark_exclude = ['text'],
        marker = new Mark(content),
        URL_SEARCH_PARAM = 'search',
        URL_MARK_PARAM = 'highlight';

    let current_searchterm = '',
        doc_urls = [],
        search_options = {
            bool: 'AND',
            expand: true,
            fields: {
                title: {boost: 1},
                body: {boost: 1},
                breadcrumbs: {boost: 0},
            },
        },
        searchindex = null,
        results_options = {
            teaser_word_count: 30,
            limit_results: 30,
        },
        teaser_count = 0;

    function hasFocus() {
        return searchbar === document.activeElement;
    }

    function removeChildren(elem) {
        while (elem.firstChild) {
            elem.removeChild(elem.firstChild);
        }
    }

    // Helper to parse a url into its building blocks.
    function parseURL(url) {
        const a = document.createElement('a');
        a.href = url;
        return {
            source: url,
            protocol: a.protocol.replace(':', ''),
            host: a.hostname,
            port: a.port,
            params: (function() {
                const ret = {};
                const seg = a.search.replace(/^\?/, '').split('&');
                for (const part of seg) {
                    if (!part) {
                        continue;
                    }
                    const s = part.split('=');
                    ret[s[0]] = s[1];
                }
                return ret;
            })(),
            file: (a.pathname.match(/\/([^/?#]+)$/i) || ['', ''])[1],
            hash: a.hash.replace('#', ''),
            path: a.pathname.replace(/^([^/])/, '/$1'),
        };
    }

    // Helper to recreate a url string from its building blocks.
    function renderURL(urlobject) {
        let url = urlobject.protocol + '://' + urlobject.host;
        if (urlobject.port !== '') {
            url += ':' + urlobject.port;
        }
        url += urlobject.path;
        let joiner = '?';
        for (const prop in urlobject.params) {
            if (Object.prototype.hasOwnProperty.call(urlobject.params, prop)) {
                url += joiner + prop + '=' + urlobject.params[prop];
                joiner = '&';
            }
        }
        if (urlobject.hash !== '') {
            url += '#' + urlobject.hash;
        }
        return url;
    }

    // Helper to escape html special chars for displaying the teasers
    const escapeHTML = (function() {
        const MAP = {
            '&': '&amp;',
            '<': '&lt;',
            '>': '&gt;',
            '"': '&#34;',
            '\'': '&#39;',
        };
        const repl = function(c) {
            return MAP[c];
        };
        return function(s) {
            return s.replace(/[&<>'"]/g, repl);
        };
    })();

    function formatSearchMetric(count, searchterm) {
        if (count === 1) {
            return count + ' search result for \'' + searchterm + '\':';
        } else if (count === 0) {
            return 'No search results for \'' + searchterm + '\'.';
        } else {
            return count + ' search results for \'' + searchterm + '\':';
        }
    }

    function formatSearchResult(result, searchterms) {
        const teaser = makeTeaser(escapeHTML(result.doc.body), searchterms);
        teaser_count++;

        // The ?URL_MARK_PARAM= parameter belongs in between the page and the #heading-anchor
        const url = result.url.split('#');
        if (url.length === 1) { // no anchor found
            url.push('');
        }

        // encodeURIComponent escapes all chars that could allow an XSS except
        // for '. Due to that we also manually replace ' with its url-encoded
        // representation (%27).
        const encoded_search = encodeURIComponent(searchterms.join(' ')).replace(/'/g, '%27');

        return '<a href="' + path_to_root + url[0] + '?' + URL_MARK_PARAM + '=' + encoded_search
            + '#' + url[1] + '" aria-details="mdbook-teaser_' + teaser_count + '">'
            + result.doc.breadcrumbs + '</a>'
            + '<span class="mcph-result-kind">' + escapeHTML(kindLabel(result)) + '</span>'
            + '<span class="teaser" id="mdbook-teaser_' + teaser_count
            + '" aria-label="Search Result Teaser">' + teaser + '</span>';
    }


    function kindLabel(result) {
        const p = protocolOf(result.url);
        let name = '';
        if (catalogue) {
            for (const [id, n] of catalogue.protocols) {
                if (id === p) {
                    name = n;
                }
            }
        }
        return KIND_NAMES[result.kind] + (name ? ' · ' + name : '');
    }

    function makeTeaser(body, searchterms) {
        // The strategy is as follows:
        // First, assign a value to each word in the document:
        //  Words that correspond to search terms (stemmer aware): 40
        //  Normal words: 2
        //  First word in a sentence: 8
        // Then use a sliding window with a constant number of words and count the
        // sum of the values of the words within the window. Then use the window that got the
        // maximum sum. If there are multiple maximas, then get the last one.
        // Enclose the terms in <em>.
        const stemmed_searchterms = searchterms.map(function(w) {
            return elasticlunr.stemmer(w.toLowerCase());
        });
        const searchterm_weight = 40;
        const weighted = []; // contains elements of ["word", weight, index_in_document]
        // split in sentences, then words
        const sentences = body.toLowerCase().split('. ');
        let index = 0;
        let value = 0;
        let searchterm_found = false;
        for (const sentenceindex in sentences) {
            const words = sentences[sentenceindex].split(' ');
            value = 8;
            for (const wordindex in words) {
                const word = words[wordindex];
                if (word.length > 0) {
                    for (const searchtermindex in stemmed_searchterms) {
                        if (elasticlunr.stemmer(word).startsWith(
                            stemmed_searchterms[searchtermindex])
                        ) {
                            value = searchterm_weight;
                            searchterm_found = true;
                        }
                    }
                    weighted.push([word, value, index]);
                    value = 2;
                }
                index += word.length;
                index += 1; // ' ' or '.' if last word in sentence
            }
            index += 1; // because we split at a two-char boundary '. '
        }

        if (weighted.length === 0) {
            return body;
        }

        const window_weight = [];
        const window_size = Math.min(weighted.length, results_options.teaser_word_count);

        let cur_sum = 0;
        for (let wordindex = 0; wordindex < window_size; wordindex++) {
            cur_sum += weighted[wordindex][1];
        }
        window_weight.push(cur_sum);
        for (let wordindex = 0; wordindex < weighted.length - window_size; wordindex++) {
            cur_sum -= weighted[wordindex][1];
            cur_sum += weighted[wordindex + window_size][1];
            window_weight.push(cur_sum);
        }

        let max_sum_window_index = 0;
        if (searchterm_found) {
            let max_sum = 0;
            // backwards
            for (let i = window_weight.length - 1; i >= 0; i--) {
                if (window_weight[i] > max_sum) {
                    max_sum = window_weight[i];
                    max_sum_window_index = i;
                }
            }
        } else {
            max_sum_window_index = 0;
        }

        // add <em/> around searchterms
        const teaser_split = [];
        index = weighted[max_sum_window_index][2];
        for (let i = max_sum_window_index; i < max_sum_window_index + window_size; i++) {
            const word = weighted[i];
            if (index < word[2]) {
                // missing text from index to start of `word`
                teaser_split.push(body.substring(index, word[2]));
                index = word[2];
            }
            if (word[1] === searchterm_weight) {
                teaser_split.push('<em>');
            }
            index = word[2] + word[0].length;
            teaser_split.push(body.substring(word[2], index));
            if (word[1] === searchterm_weight) {
                teaser_split.push('</em>');
            }
        }

        return teaser_split.join('');
    }

    function initSearchInteractions(config) {
        // Set up events
        searchicon.addEventListener('click', () => {
            searchIconClickHandler();
        }, false);
        searchbar.addEventListener('keyup', () => {
            searchbarKeyUpHandler();
        }, false);
        document.addEventListener('keydown', e => {
            globalKeyHandler(e);
        }, false);
        // If the user uses the browser buttons, do the same as if a reload happened
        window.onpopstate = () => {
            doSearchOrMarkFromUrl();
        };
        // Suppress "submit" events so the page doesn't reload when the user presses Enter
        document.addEventListener('submit', e => {
            e.preventDefault();
        }, false);

        // If reloaded, do the search or mark again, depending on the current url parameters
        doSearchOrMarkFromUrl();

        // Exported functions
        config.hasFocus = hasFocus;
    }


    function unfocusSearchbar() {
        // hacky, but just focusing a div only works once
        const tmp = document.createElement('input');
        tmp.className = 'mcph-focus-sink';
        searchicon.appendChild(tmp);
        tmp.focus();
        tmp.remove();
    }

    // On reload or browser history backwards/forwards events, parse the url and do search or mark
    function doSearchOrMarkFromUrl() {
        // Check current URL for search request
        const url = parseURL(window.location.href);
        if (Object.prototype.hasOwnProperty.call(url.params, URL_SEARCH_PARAM)
            && url.params[URL_SEARCH_PARAM] !== '') {
            showSearch(true);
            searchbar.value = decodeURIComponent(
                (url.params[URL_SEARCH_PARAM] + '').replace(/\+/g, '%20'));
            searchbarKeyUpHandler(); // -> doSearch()
        } else {
            showSearch(false);
        }

        if (Object.prototype.hasOwnProperty.call(url.params, URL_MARK_PARAM)) {
            const words = decodeURIComponent(url.params[URL_MARK_PARAM]).split(' ');
            marker.mark(words, {
                exclude: mark_exclude,
            });

            const markers = document.querySelectorAll('mark');
            const hide = () => {
                for (let i = 0; i < markers.length; i++) {
                    markers[i].classList.add('fade-out');
                    window.setTimeout(() => {
                        marker.unmark();
                    }, 300);
                }
                // also removes the `?URL_MARK_PARAM=` search param so that
                // in-page navigation doesn't make highlights unexpectedly appear again
                setSearchUrlParameters('', 'replace');
            };

            for (let i = 0; i < markers.length; i++) {
                markers[i].addEventListener('click', hide);
            }
        }
    }

    // Eventhandler for keyevents on `document`
    function globalKeyHandler(e) {
        if (e.altKey ||
            e.ctrlKey ||
            e.metaKey ||
            e.shiftKey ||
            e.target.type === 'textarea' ||
            e.target.type === 'text' ||
            !hasFocus() && mdbook_something_else_has_focus(e)
        ) {
            return;
        }

        if (e.key === 'Escape') {
            e.preventDefault();
            searchbar.classList.remove('active');
            setSearchUrlParameters('',
                searchbar.value.trim() !== '' ? 'push' : 'replace');
            if (hasFocus()) {
                unfocusSearchbar();
            }
            showSearch(false);
            marker.unmark();
        } else if (!hasFocus() && (e.key === 's' || e.key === '/')) {
            e.preventDefault();
            showSearch(true);
            window.scrollTo(0, 0);
            searchbar.select();
        } else if (hasFocus() && (e.key === 'ArrowDown'
                               || e.key === 'Enter')) {
            e.preventDefault();
            const first = searchresults.firstElementChild;
            if (first !== null) {
                unfocusSearchbar();
                first.classList.add('focus');
                if (e.key === 'Enter') {
                    window.location.assign(first.querySelector('a'));
                }
            }
        } else if (!hasFocus() && (e.key === 'ArrowDown'
                                || e.key === 'ArrowUp'
                                || e.key === 'Enter')) {
            // not `:focus` because browser does annoying scrolling
            const focused = searchresults.querySelector('li.focus');
            if (!focused) {
                return;
            }
            e.preventDefault();
            if (e.key === 'ArrowDown') {
                const next = focused.nextElementSibling;
                if (next) {
                    focused.classList.remove('focus');
                    next.classList.add('focus');
                }
            } else if (e.key === 'ArrowUp') {
                focused.classList.remove('focus');
                const prev = focused.previousElementSibling;
                if (prev) {
                    prev.classList.add('focus');
                } else {
                    searchbar.select();
                }
            } else { // Enter
                window.location.assign(focused.querySelector('a'));
            }
        }
    }

    // The catalogue (mdBook's searchindex-<hash>.js, which every page names) lists every
    // indexed address and the shards; the shards hold the index, one per kind of page.
    const KIND_NAMES = {
        text: 'Protocol text',
        views: 'Views and other pages',
        training: 'Training cases',
    };
    // The protocols' different words for one thing: a query with one finds the others.
    const SYNONYMS = [
        ['return home interview', 'return home conversation', 'rhi', 'rhc'],
        ['safe and well', 'prevention interview'],
        ['strategy meeting', 'strategy discussion'],
    ];
    let catalogue = null;
    const shards = {}; // kind -> {index, urls}
    const requested = {}; // kind -> true once its script is asked for
    let protocol_filter = null,
        kind_filter = null;

    window.mcphSearch = {
        catalogue: function(c) {
            catalogue = c;
            results_options = c.results_options;
            search_options = c.search_options;
            doc_urls = c.doc_urls;
            buildFilters();
            loadShard(c.order[0]);
        },
        shard: function(kind, s) {
            shards[kind] = {index: elasticlunr.Index.load(s.index), urls: s.urls};
            searchbar_outer.classList.remove('searching');
            const searchterm = searchbar.value.trim();
            if (searchterm !== '') {
                searchbar.classList.add('active');
                current_searchterm = '';
                doSearch(searchterm);
            }
        },
    };

    function loadScript(url, id) {
        if (document.getElementById(id)) {
            return;
        }
        searchbar_outer.classList.add('searching');
        const script = document.createElement('script');
        script.src = url;
        script.id = id;
        script.onerror = () => {
            searchresults_header.innerText = 'Search could not load ' + url + '.';
            showResults(true);
        };
        document.head.append(script);
    }

    function loadShard(kind) {
        if (requested[kind] || !catalogue) {
            return;
        }
        requested[kind] = true;
        loadScript(path_to_root + catalogue.shards[kind], 'mcph-search-' + kind);
    }

    function makeSelect(id, label, options, onchange) {
        const wrap = document.createElement('div');
        wrap.className = 'mcph-search-filter';
        const l = document.createElement('label');
        l.htmlFor = id;
        l.textContent = label;
        const s = document.createElement('select');
        s.id = id;
        for (const [value, text] of options) {
            const o = document.createElement('option');
            o.value = value;
            o.textContent = text;
            s.append(o);
        }
        s.addEventListener('change', onchange);
        wrap.append(l, s);
        return [wrap, s];
    }

    function buildFilters() {
        if (document.getElementById('mcph-search-filters')) {
            return;
        }
        const box = document.createElement('div');
        box.id = 'mcph-search-filters';
        box.className = 'mcph-search-filters';
        const rerun = () => {
            current_searchterm = '';
            const searchterm = searchbar.value.trim();
            if (searchterm !== '') {
                doSearch(searchterm);
            }
        };
        const [p, ps] = makeSelect('mcph-search-protocol', 'Protocol',
            [['', 'All protocols']].concat(catalogue.protocols), rerun);
        const [k, ks] = makeSelect('mcph-search-kind', 'Kind of page',
            [['', 'All pages']].concat(catalogue.order.map(x => [x, KIND_NAMES[x] || x])), rerun);
        protocol_filter = ps;
        kind_filter = ks;
        box.append(p, k);
        searchbar_outer.append(box);
        // The results are announced when they change.
        searchresults_header.setAttribute('role', 'status');
    }

    function showSearch(yes) {
        if (yes) {
            if (window.path_to_searchindex_js) {
                loadScript(window.path_to_searchindex_js, 'mdbook-search-index');
            }
            search_wrap.classList.remove('hidden');
            searchicon.setAttribute('aria-expanded', 'true');
        } else {
            search_wrap.classList.add('hidden');
            searchicon.setAttribute('aria-expanded', 'false');
            const results = searchresults.children;
            for (let i = 0; i < results.length; i++) {
                results[i].classList.remove('focus');
            }
        }
    }

    function showResults(yes) {
        if (yes) {
            searchresults_outer.classList.remove('hidden');
        } else {
            searchresults_outer.classList.add('hidden');
        }
    }

    // Eventhandler for search icon
    function searchIconClickHandler() {
        if (search_wrap.classList.contains('hidden')) {
            showSearch(true);
            window.scrollTo(0, 0);
            searchbar.select();
        } else {
            showSearch(false);
        }
    }

    // Eventhandler for keyevents while the searchbar is focused
    function searchbarKeyUpHandler() {
        const searchterm = searchbar.value.trim();
        if (searchterm !== '') {
            searchbar.classList.add('active');
            doSearch(searchterm);
        } else {
            searchbar.classList.remove('active');
            showResults(false);
            removeChildren(searchresults);
        }

        setSearchUrlParameters(searchterm, 'push_if_new_search_else_replace');

        // Remove marks
        marker.unmark();
    }

    // Update current url with ?URL_SEARCH_PARAM= parameter, remove ?URL_MARK_PARAM and
    // `#heading-anchor`. `action` can be one of "push", "replace",
    // "push_if_new_search_else_replace" and replaces or pushes a new browser history item.
    // "push_if_new_search_else_replace" pushes if there is no `?URL_SEARCH_PARAM=abc` yet.
    function setSearchUrlParameters(searchterm, action) {
        const url = parseURL(window.location.href);
        const first_search = !Object.prototype.hasOwnProperty.call(url.params, URL_SEARCH_PARAM);

        if (searchterm !== '' || action === 'push_if_new_search_else_replace') {
            url.params[URL_SEARCH_PARAM] = searchterm;
            delete url.params[URL_MARK_PARAM];
            url.hash = '';
        } else {
            delete url.params[URL_MARK_PARAM];
            delete url.params[URL_SEARCH_PARAM];
        }
        // A new search will also add a new history item, so the user can go back
        // to the page prior to searching. A updated search term will only replace
        // the url.
        if (action === 'push' || action === 'push_if_new_search_else_replace' && first_search ) {
            history.pushState({}, document.title, renderURL(url));
        } else if (action === 'replace' ||
            action === 'push_if_new_search_else_replace' &&
            !first_search
        ) {
            history.replaceState({}, document.title, renderURL(url));
        }
    }

    // Lower case, words only, with a space either side: for finding phrases.
    function normalise(text) {
        return ' ' + text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim() + ' ';
    }

    // The query, and the query with each of the protocols' other words for a phrase in it.
    function variants(searchterm) {
        const q = normalise(searchterm);
        const out = [q.trim()];
        for (const group of SYNONYMS) {
            for (const phrase of group) {
                if (q.includes(' ' + phrase + ' ')) {
                    for (const other of group) {
                        if (other !== phrase) {
                            out.push(q.replace(' ' + phrase + ' ', ' ' + other + ' ').trim());
                        }
                    }
                }
            }
        }
        return out.filter((v, i) => v !== '' && out.indexOf(v) === i);
    }

    function protocolOf(url) {
        const m = /^protocols\/([^/]+)\//.exec(url);
        return m ? m[1] : '';
    }

    // One kind's results: each document's best score over the variants; those whose title,
    // then whose text, holds one of the phrases come first.
    function searchShard(kind, vs) {
        const shard = shards[kind];
        const best = {};
        for (const v of vs) {
            for (const r of shard.index.search(v, search_options)) {
                if (!(r.ref in best) || best[r.ref].score < r.score) {
                    best[r.ref] = r;
                }
            }
        }
        const wanted = protocol_filter ? protocol_filter.value : '';
        const phrases = vs.filter(v => v.includes(' ')).map(v => ' ' + v + ' ');
        const out = [];
        for (const ref in best) {
            const r = best[ref];
            const url = doc_urls[shard.urls[ref]];
            if (wanted !== '' && protocolOf(url) !== wanted) {
                continue;
            }
            const title = normalise(r.doc.title || ''),
                body = normalise(r.doc.body || '');
            let phrase = 0;
            for (const p of phrases) {
                phrase = Math.max(phrase, title.includes(p) ? 2 : body.includes(p) ? 1 : 0);
            }
            out.push({doc: r.doc, score: r.score, url: url, kind: kind, phrase: phrase});
        }
        out.sort((a, b) => b.phrase - a.phrase || b.score - a.score);
        return out;
    }

    function doSearch(searchterm) {
        // Don't search the same twice
        if (current_searchterm === searchterm) {
            return;
        }
        searchbar_outer.classList.add('searching');
        if (catalogue === null) {
            return;
        }
        const limit = results_options.limit_results;
        const only = kind_filter ? kind_filter.value : '';
        const vs = variants(searchterm);
        let results = [];
        let waiting = false;
        // Kinds in order: a later kind's shard is loaded only when it can show a result.
        for (const kind of catalogue.order) {
            if (only !== '' && kind !== only || results.length >= limit) {
                continue;
            }
            if (!shards[kind]) {
                loadShard(kind);
                waiting = true;
                break;
            }
            results = results.concat(searchShard(kind, vs));
        }
        if (waiting && results.length === 0) {
            return;
        }
        current_searchterm = searchterm;
        const resultcount = Math.min(results.length, limit);

        searchresults_header.innerText = formatSearchMetric(resultcount, searchterm);

        // Every word of every variant is a search term, for the teaser and the highlight.
        const searchterms = [];
        for (const v of vs) {
            for (const w of v.split(' ')) {
                if (w !== '' && searchterms.indexOf(w) < 0) {
                    searchterms.push(w);
                }
            }
        }
        removeChildren(searchresults);
        for (let i = 0; i < resultcount; i++) {
            const resultElem = document.createElement('li');
            resultElem.innerHTML = formatSearchResult(results[i], searchterms);
            resultElem.dataset.kind = results[i].kind;
            searchresults.appendChild(resultElem);
        }

        showResults(true);
        if (!waiting) {
            searchbar_outer.classList.remove('searching');
        }
    }

    initSearchInteractions(window.search);

    // Exported functions
    search.hasFocus = hasFocus;
})(window.search);
