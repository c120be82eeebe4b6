"""The all-anime index, the genre pages and the search index of a built site.

  search_index.py check OUT    every problem found, one a line (nothing when all is well)
  search_index.py measure OUT  bytes a query fetches: 1-3 letters, whole words, phrases

The search box (assets/js/search.js) walks search/ from search/index.json one character at
a time until a file without "more"; what it fetches is the files on that path."""
import glob, html, json, math, os, re, sys

def words(s):
    s = re.sub(r'[A-Z]', lambda m: m.group(0).lower(), s or '')
    return [w for w in re.split(r'[^a-z0-9\u0080-\U0010ffff]+', s) if w]

def key_file(out, key):
    return os.path.join(out, 'search', (key.encode().hex() if key else 'index') + '.json')

def path_of(out, query):
    """The files the script fetches for a query (a phrase), and the last node."""
    files, key = [key_file(out, '')], ''
    node = json.load(open(files[0]))
    for c in query:
        if not node.get('more') or not node['next']:
            break
        if c not in node['next']:
            return files, {'a': []}
        key += c
        files.append(key_file(out, key))
        node = json.load(open(files[-1]))
    return files, node

def check_nav(p, text, expected, n, problems):
    """Page n (1-based) of the pages `expected`: two pagination bars, the first linking every
    page, the current one marked, previous and next where they exist."""
    want = len(expected)
    nav = re.findall(r'<nav class="pagination".*?</nav>', text, re.S)
    if len(nav) != (2 if want > 1 else 0):
        problems.append('%s: %d pagination bars' % (p, len(nav)))
        return
    if want == 1:
        return
    root = '../' * p.count('/')
    links = re.findall(r'<a([^>]*) href="([^"]*)"', nav[0])
    numbered = [h for a, h in links if 'rel=' not in a]
    if numbered != [root + e for e in expected]:
        problems.append('%s: pagination links %s' % (p, numbered[:3]))
    cur = [h for a, h in links if 'aria-current="page"' in a]
    if cur != [root + p]:
        problems.append('%s: current page %s' % (p, cur))
    prev = [h for a, h in links if 'rel="prev"' in a]
    nxt = [h for a, h in links if 'rel="next"' in a]
    if prev != ([root + expected[n - 2]] if n > 1 else []) or nxt != ([root + expected[n]] if n < want else []):
        problems.append('%s: previous %s, next %s' % (p, prev, nxt))

def check_pages(out, dirpath, want_ids, problems, sitemap):
    """The pages of one paginated list: DIR/index.html, DIR/page/N/index.html, SITE_PER_PAGE
    each; their anime links, in order, are want_ids; each page links to every page."""
    want = max(1, math.ceil(len(want_ids) / 500))
    expected = [dirpath + '/index.html'] + ['%s/page/%d/index.html' % (dirpath, n) for n in range(2, want + 1)]
    have = [dirpath + '/index.html'] + sorted(
        (p[len(out) + 1:] for p in glob.glob('%s/%s/page/*/index.html' % (out, dirpath))),
        key=lambda p: int(p.split('/')[-2]))
    if have != expected:
        problems.append('%s: pages %s, not %d' % (dirpath, have[:3], want))
        return
    seen = []
    for n, p in enumerate(expected, 1):
        text = open(out + '/' + p).read()
        main = re.search(r'<main id="main">(.*)</main>', text, re.S).group(1)
        seen += [int(i) for i in re.findall(r'href="(?:\.\./)*anime/(\d+)/index\.html"', main)]
        if '/' + p + '</loc>' not in sitemap:
            problems.append('%s not in the sitemap' % p)
        check_nav(p, text, expected, n, problems)
    if seen != want_ids:
        problems.append('%s: the pages link %d anime (%d distinct), the list has %d' % (dirpath, len(seen), len(set(seen)), len(want_ids)))

def check(out):
    problems = []
    sitemap = open(out + '/sitemap.xml').read()
    for slug in sorted(os.listdir(out + '/genres')):
        if slug == 'index.html':
            continue
        doc = json.load(open('%s/api/genres/%s.json' % (out, slug)))
        ids = [int(re.search(r'anime/(\d+)/', r['cells'][0]['href']).group(1)) for r in doc['tables'][1]['rows']]
        check_pages(out, 'genres/' + slug, ids, problems, sitemap)
    anime = sorted(int(d) for d in os.listdir(out + '/anime') if d.isdigit())
    pages = ['anime/index.html'] + sorted(
        (p[len(out) + 1:] for p in glob.glob(out + '/anime/page/*/index.html')),
        key=lambda p: int(p.split('/')[2]))
    want = max(1, math.ceil(len(anime) / 500))
    if len(pages) != want:
        problems.append('%d index pages for %d anime, not %d' % (len(pages), len(anime), want))
    expected = ['anime/index.html'] + ['anime/page/%d/index.html' % n for n in range(2, want + 1)]
    if pages != expected:
        problems.append('index pages %s' % pages[:5])
    seen = []
    sitemap = open(out + '/sitemap.xml').read()
    for n, p in enumerate(pages, 1):
        text = open(out + '/' + p).read()
        lst = re.search(r'<ol class="anime-index"[^>]*>(.*?)</ol>', text, re.S)
        seen += [int(i) for i in re.findall(r'href="(?:\.\./)*anime/(\d+)/index\.html"', lst.group(1) if lst else '')]
        if '/' + p + '</loc>' not in sitemap:
            problems.append('%s not in the sitemap' % p)
        if want > 1:
            check_nav(p, text, expected, n, problems)
    if sorted(seen) != anime:
        problems.append('the index links %d anime (%d distinct), the site has %d' % (len(seen), len(set(seen)), len(anime)))
    # the search index: every file reached from the root, every anime in a complete file
    reached, covered, stack = set(), set(), ['']
    while stack:
        key = stack.pop()
        f = key_file(out, key)
        if not os.path.isfile(f):
            problems.append('search: %s named but missing' % f)
            continue
        reached.add(os.path.basename(f))
        node = json.load(open(f))
        for e in node['a']:
            if not node.get('more'):
                covered.add(e[0])
        if node.get('more'):
            stack += [key + c for c in node['next']]
    files = set(os.listdir(out + '/search'))
    if files != reached:
        problems.append('search: files no query reaches: %s' % sorted(files - reached)[:3])
    if covered != set(anime):
        problems.append('search: anime in no complete file: %s' % sorted(set(anime) - covered)[:5])
    # every anime is found by its whole title
    for i in anime:
        doc = json.load(open('%s/api/anime/%d.json' % (out, i)))['anime']
        q = ' '.join(words(doc['title']))
        if not q:
            continue
        _, node = path_of(out, q)
        if i not in [e[0] for e in node['a']]:
            problems.append('search: anime %d not found by its title' % i)
            break
    return problems

def measure(out):
    root = json.load(open(key_file(out, '')))
    cost = lambda q: sum(os.path.getsize(f) for f in path_of(out, q)[0])
    short, stack = [], [('', root)]
    while stack:
        key, node = stack.pop()
        if key:
            short.append(cost(key))
        if node.get('more') and len(key) < 3:
            stack += [(key + c, json.load(open(key_file(out, key + c)))) for c in node['next']]
    vocab, titles = set(), []
    for f in glob.glob(out + '/api/anime/*.json'):
        t = json.load(open(f))['anime']['title']
        titles.append(' '.join(words(t)))
        vocab.update(words(t))
    wc = sorted(cost(w) for w in vocab)
    tc = sorted(cost(t) for t in titles)
    sizes = [os.path.getsize(f) for f in glob.glob(out + '/search/*.json')]
    print('search files %d, %d bytes in all, largest %d' % (len(sizes), sum(sizes), max(sizes)))
    print('1-3 letters: %d prefixes, max %d bytes fetched' % (len(short), max(short)))
    print('whole words: %d, median %d, max %d bytes fetched' % (len(wc), wc[len(wc) // 2], wc[-1]))
    print('whole titles: %d, median %d, max %d bytes fetched' % (len(tc), tc[len(tc) // 2], tc[-1]))
    return max(short + wc + tc)

if __name__ == '__main__':
    if sys.argv[1] == 'check':
        print('\n'.join(check(sys.argv[2])))
    else:
        sys.exit(0 if measure(sys.argv[2]) <= int(sys.argv[3] if len(sys.argv) > 3 else 300000) else 1)
