"""The interface words of the pages and views in English and Korean: one table, one rule.

Every word of the interface (navigation, headings, table heads, messages) is a key of MESSAGES
with its English and Korean text side by side, so a translator sees both and a new key cannot
be added in one language only. Templates and page code ask for keys (`t("nav.query")`); a key
that is not in the table renders as `⟦key⟧`, visible on the page and caught by the test that
walks every page in both languages. Data labels are not here: they come from the graph in the
reader's language where it has them (English otherwise).

The language is `?lang=` (which also sets a cookie, so the choice sticks), else the cookie,
else the best of `Accept-Language`, else English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

LANGUAGES = ("en", "ko")
DEFAULT = "en"
COOKIE = "lang"
MISSING = "⟦{key}⟧"

# key: (English, Korean)
MESSAGES: dict[str, tuple[str, str]] = {
    # navigation and frame
    "nav.home": ("Home", "홈"),
    "nav.query": ("Query", "질의"),
    "nav.compare": ("Compare", "비교"),
    "nav.summits": ("Summits", "정상회의"),
    "nav.graph": ("Graph", "그래프"),
    "nav.endpoint": ("SPARQL endpoint", "SPARQL 엔드포인트"),
    "nav.ontology": ("Ontology", "온톨로지"),
    "nav.download": ("Download", "내려받기"),
    "nav.language": ("Language", "언어"),
    "search.label": ("Search names", "이름 검색"),
    "search.placeholder": ("name in any language", "어느 언어로든 이름"),
    "search.button": ("Search", "검색"),
    "footer.licence": ("data CC BY 4.0", "데이터 CC BY 4.0"),
    "footer.claims": ("every claim carries its source", "모든 주장에 출처가 있습니다"),
    # home
    "home.title": ("Home", "홈"),
    "home.heading": ("aigovkg: how the world governs AI", "aigovkg: 세계는 AI를 어떻게 규율하는가"),
    "home.intro": (
        "An open knowledge graph of AI governance instruments, their obligations, "
        "prohibitions, penalties and life-cycle dates, and the AI summits with who signed "
        "what. Every claim is typed, dated and sourced.",
        "AI 거버넌스 규범과 그 의무·금지·제재·생애주기 날짜, 그리고 AI 정상회의와 누가 무엇에 "
        "서명했는지를 담은 개방형 지식 그래프입니다. 모든 주장에는 유형·날짜·출처가 있습니다.",
    ),
    "home.query_at": ("Query it at", "질의하기:"),
    "home.protocol": ("SPARQL 1.1 Protocol", "SPARQL 1.1 프로토콜"),
    "home.or_editor": ("or in the query editor", "또는 질의 편집기"),
    "home.download": ("download the dumps", "덤프 내려받기"),
    "home.triples": ("triples", "트리플"),
    "home.version": ("version", "버전"),
    "home.build_inputs": ("build inputs", "빌드 입력"),
    "home.regimes": ("Regimes and documents", "규범과 문서"),
    "home.summits": ("Summits", "정상회의"),
    "home.holds": ("What the graph holds", "그래프에 담긴 것"),
    "col.instrument": ("instrument", "규범"),
    "col.type": ("type", "유형"),
    "col.binding": ("binding", "구속력"),
    "col.jurisdiction": ("jurisdiction", "관할"),
    "col.summit": ("summit", "정상회의"),
    "col.start": ("start", "시작"),
    "col.where": ("where", "장소"),
    "col.outcomes": ("outcome documents", "결과 문서"),
    "col.class": ("class", "클래스"),
    "col.instances": ("instances", "개체 수"),
    "yes": ("yes", "예"),
    "no": ("no", "아니오"),
    # resource and profile pages
    "res.formats": ("Other formats", "다른 형식"),
    "res.labels": ("Labels", "이름"),
    "res.facts": ("Facts", "사실"),
    "res.sources": ("Sources", "출처"),
    "res.sources_hint": (
        "The evidence for this resource and for the claims attached to it.",
        "이 자원과 그에 딸린 주장의 근거입니다.",
    ),
    "res.for": ("for", "근거 대상"),
    "res.incoming": ("Incoming links", "들어오는 링크"),
    "res.of": ("of", "의 대상"),
    "res.no_language": ("no language", "언어 없음"),
    "profile.lifecycle": ("Life cycle", "생애주기"),
    "profile.timeline_hint": (
        "Status as derived by the one status rule from the dated events (graph "
        "derived/status); amended intervals are marked.",
        "날짜가 있는 사건에서 단일 상태 규칙으로 도출한 상태입니다(graph derived/status). "
        "개정된 구간은 표시되어 있습니다.",
    ),
    "profile.status": ("Status", "상태"),
    "profile.from": ("from", "시작"),
    "profile.until": ("until", "종료"),
    "profile.open_end": ("today", "현재"),
    "profile.as_amended": ("as amended", "개정 반영"),
    "profile.as_enacted": ("as enacted", "제정 당시"),
    "profile.amended_by": ("amended by", "개정 규범"),
    "profile.events": ("Events", "사건"),
    "profile.date": ("date", "날짜"),
    "profile.event": ("event", "사건"),
    "profile.reference": ("reference", "조항"),
    "profile.set_by": ("set by", "정한 규범"),
    "profile.application": ("Application dates", "적용일"),
    "profile.application_hint": (
        "When each part applies, as enacted and, where an amending act moved a date, as "
        "amended (with the period in which each date was the law).",
        "각 부분이 언제부터 적용되는지, 제정 당시와 개정 법률이 날짜를 바꾼 경우 개정 반영 "
        "날짜(각 날짜가 법이었던 기간 포함)입니다.",
    ),
    "profile.provision": ("provision", "규정"),
    "profile.applies_from": ("applies from", "적용 시작"),
    "profile.valid": ("in the law", "유효 기간"),
    "profile.obligations": ("Obligations", "의무"),
    "profile.obligations_hint": (
        "Grouped by risk tier and addressee.",
        "위험 등급과 수범자별로 묶었습니다.",
    ),
    "profile.tier": ("risk tier", "위험 등급"),
    "profile.all_tiers": ("any tier", "등급 무관"),
    "profile.addressee": ("addressee", "수범자"),
    "profile.no_addressee": ("addressee not recorded", "수범자 기록 없음"),
    "profile.obligation_type": ("type", "유형"),
    "profile.prohibitions": ("Prohibited practices", "금지 행위"),
    "profile.penalties": ("Penalties", "제재"),
    "profile.max_fine": ("maximum fine", "최대 과징금"),
    "profile.turnover": ("of worldwide annual turnover", "전 세계 연 매출 대비"),
    "profile.criminal": ("criminal", "형사"),
    "profile.administrative": ("administrative", "행정"),
    "profile.authorities": ("Authorities", "소관 기관"),
    "profile.tiers": ("Risk tiers", "위험 등급"),
    "profile.signatories": ("Who signed it", "서명 당사자"),
    "profile.party": ("party", "당사자"),
    "profile.role": ("role", "역할"),
    "profile.claim_sources": ("sources", "출처"),
    "profile.no_source": ("no source recorded", "출처 기록 없음"),
    "party.signed": ("Signed, endorsed or joined", "서명·지지·가입"),
    "party.declined": ("Declined to sign", "서명 거부"),
    "party.hosted": ("Hosted", "주최"),
    "party.attended": ("Attended", "참석"),
    "party.member": ("Member of", "회원 자격"),
    "party.issued": ("Issued", "발행"),
    "summit.host": ("Hosts", "주최국"),
    "summit.participant": ("Participants", "참가자"),
    "summit.outcome": ("Outcome documents", "결과 문서"),
    "summit.precededBy": ("Preceded by", "이전 회의"),
    "res.not_found": (
        "Nothing in the graph is called {iri}.",
        "그래프에 {iri}(이)라는 것이 없습니다.",
    ),
    "res.bad_name": ("Nothing in the graph has that name.", "그래프에 그런 이름이 없습니다."),
    # named graphs, dataset, catalog
    "graph.title": ("Named graph", "이름 있는 그래프"),
    "graph.intro": (
        "One named graph of the dataset: the triples of one source file (or of the build).",
        "데이터셋의 이름 있는 그래프 하나: 원본 파일 하나(또는 빌드)의 트리플입니다.",
    ),
    "graph.triples": ("triples", "트리플"),
    "graph.subjects": ("Subjects", "주어"),
    "graph.more": (
        "and more; query the graph for all of them.",
        "외 더 있음. 전체는 그래프를 질의하세요.",
    ),
    "graph.query": ("Query this graph", "이 그래프 질의"),
    "graph.list": ("Named graphs", "이름 있는 그래프"),
    "dataset.title": ("The dataset", "데이터셋"),
    "dataset.intro": (
        "The dataset as a whole, described in VoID and DCAT; its named graphs are listed below.",
        "VoID와 DCAT으로 기술한 데이터셋 전체입니다. 이름 있는 그래프는 아래에 있습니다.",
    ),
    "catalog.title": ("The catalog", "카탈로그"),
    # search
    "search.title": ("Search", "검색"),
    "search.intro": (
        "Names in every language the graph holds: labels, alternative labels, official "
        "titles, identifiers and ISO codes.",
        "그래프에 있는 모든 언어의 이름: 레이블, 대체 이름, 공식 명칭, 식별자, ISO 코드.",
    ),
    "search.results": ("Results for", "검색 결과:"),
    "search.none": (
        "Nothing matches; closest names:",
        "일치하는 항목이 없습니다. 가장 가까운 이름:",
    ),
    "search.empty": ("Type a name to search.", "검색할 이름을 입력하세요."),
    "search.kind": ("kind", "종류"),
    "search.matched": ("matched name", "일치한 이름"),
    "search.name": ("name", "이름"),
    "kind.instrument": ("instrument", "규범"),
    "kind.party": ("party", "당사자"),
    "kind.summit": ("summit", "정상회의"),
    "kind.entity": ("entity", "개체"),
    # query editor
    "query.title": ("Query", "질의"),
    "query.heading": ("Query the graph", "그래프 질의"),
    "query.intro": (
        "SPARQL 1.1 against /sparql. The project's prefixes are predeclared. Results are "
        "capped at the endpoint's row limit and every query has a time limit.",
        "/sparql에 대한 SPARQL 1.1 질의입니다. 프로젝트의 접두사는 미리 선언되어 있습니다. "
        "결과는 엔드포인트의 행 제한까지이며 모든 질의에는 시간 제한이 있습니다.",
    ),
    "query.examples": ("Competency questions:", "역량 질문:"),
    "query.choose": ("— choose an example —", "— 예제를 고르세요 —"),
    # the vendored editor's own words (YASGUI draws them; query.js puts these in their place):
    # the English side is YASGUI's exact text, `{name}` a number or column it fills in
    "editor.Query": ("Query", "질의"),
    "editor.Settings": ("Settings", "설정"),
    "editor.Request method": ("Request method", "요청 방식"),
    "editor.Accept Headers": ("Accept Headers", "Accept 헤더"),
    "editor.Arguments": ("Arguments", "인자"),
    "editor.Header Arguments": ("Header Arguments", "헤더 인자"),
    "editor.Default Graphs": ("Default Graphs", "기본 그래프"),
    "editor.Named Graphs": ("Named Graphs", "이름 있는 그래프"),
    "editor.Table": ("Table", "표"),
    "editor.Response": ("Response", "응답"),
    "editor.Simple view": ("Simple view", "간단히 보기"),
    "editor.Ellipse": ("Ellipse", "줄여 보기"),
    "editor.Page size:": ("Page size:", "쪽 크기:"),
    "editor.All": ("All", "전체"),
    "editor.Close tab": ("Close tab", "탭 닫기"),
    "editor.Add tab": ("Add tab", "탭 추가"),
    "editor.Add a new tab": ("Add a new tab", "새 탭 추가"),
    "editor.Open settings": ("Open settings", "설정 열기"),
    "editor.Clear endpoint": ("Clear endpoint", "엔드포인트 지우기"),
    "editor.Share query": ("Share query", "질의 공유"),
    "editor.Run query": ("Run query", "질의 실행"),
    "editor.Shows Table view": ("Shows Table view", "표로 보기"),
    "editor.Shows Response view": ("Shows Response view", "응답 그대로 보기"),
    "editor.Filter query results": ("Filter query results", "질의 결과 거르기"),
    "editor.Download result": ("Download result", "결과 내려받기"),
    "editor.Download Results": ("Download Results", "결과 내려받기"),
    "editor.View documentation of Table": ("View documentation of Table", "표 설명 보기"),
    "editor.pagination": ("pagination", "쪽 이동"),
    "editor.First": ("First", "처음"),
    "editor.Previous": ("Previous", "이전"),
    "editor.Next": ("Next", "다음"),
    "editor.Last": ("Last", "마지막"),
    "editor.results": ("{n} results in {s} seconds", "결과 {n}개 ({s}초)"),
    "editor.result": ("{n} result in {s} seconds", "결과 {n}개 ({s}초)"),
    "editor.showing": ("Showing {a} to {b} of {n} entries", "전체 {n}개 중 {a}~{b}"),
    "editor.sort": ("{column}: Activate to sort", "{column}: 눌러서 정렬"),
    # pyLODE's own headings on the ontology page (the English side is pyLODE's exact text)
    "ontdoc.Metadata": ("Metadata", "메타데이터"),
    "ontdoc.Table of Contents": ("Table of Contents", "목차"),
    "ontdoc.Classes": ("Classes", "클래스"),
    "ontdoc.Object Properties": ("Object Properties", "객체 속성"),
    "ontdoc.Datatype Properties": ("Datatype Properties", "데이터 속성"),
    "ontdoc.Functional Properties": ("Functional Properties", "함수 속성"),
    "ontdoc.Annotation Properties": ("Annotation Properties", "주석 속성"),
    "ontdoc.Namespaces": ("Namespaces", "네임스페이스"),
    "ontdoc.Legend": ("Legend", "범례"),
    "ontdoc.Description": ("Description", "설명"),
    "ontdoc.Is Defined By": ("Is Defined By", "정의한 곳"),
    "ontdoc.Range": ("Range", "치역"),
    "ontdoc.Domain": ("Domain", "정의역"),
    "ontdoc.Sub Class Of": ("Sub Class Of", "상위 클래스"),
    "ontdoc.Super Class Of": ("Super Class Of", "하위 클래스"),
    "ontdoc.Sub Property Of": ("Sub Property Of", "상위 속성"),
    "ontdoc.Super Property Of": ("Super Property Of", "하위 속성"),
    "ontdoc.In Range Of": ("In Range Of", "치역으로 쓰는 속성"),
    "ontdoc.In Domain Of": ("In Domain Of", "정의역으로 쓰는 속성"),
    "ontdoc.Equivalentclass": ("Equivalentclass", "동등 클래스"),
    "ontdoc.Scope Note": ("Scope Note", "범위 주석"),
    "ontdoc.Title": ("Title", "제목"),
    "ontdoc.Creator": ("Creator", "작성자"),
    "ontdoc.License": ("License", "이용 허락"),
    "ontdoc.Version Iri": ("Version Iri", "버전 IRI"),
    "ontdoc.Version Info": ("Version Info", "버전 정보"),
    # download
    "download.title": ("Download", "내려받기"),
    "download.intro": (
        "Builds are deterministic: the same sources give byte-identical files, so the "
        "SHA-256 below identifies a release. The N-Quads dump puts each source file in its "
        "own named graph.",
        "빌드는 결정적입니다. 같은 원본은 바이트 단위로 같은 파일을 만들므로 아래 SHA-256이 "
        "릴리스를 식별합니다. N-Quads 덤프는 원본 파일마다 별도의 이름 있는 그래프에 담습니다.",
    ),
    "download.describe": ("describe the dataset:", "데이터셋 기술:"),
    "download.licence": ("Licence", "이용 허락"),
    "download.file": ("file", "파일"),
    "download.format": ("format", "형식"),
    "download.media": ("media type", "미디어 유형"),
    "download.bytes": ("bytes", "바이트"),
    "download.checksums": ("checksums of the files above", "위 파일들의 체크섬"),
    "download.no_file": ("No such file.", "그런 파일이 없습니다."),
    # compare and summits
    "compare.title": ("Compare regimes", "규범 비교"),
    "compare.intro": (
        "Name two or more instruments by slug, label in any language or identifier "
        "(eu-ai-act, AI 기본법, EO 14110). Each cell lists the facts with their sources.",
        "규범 둘 이상을 슬러그, 어느 언어의 이름 또는 식별자로 지정하세요"
        "(eu-ai-act, AI 기본법, EO 14110). 각 칸은 사실과 그 출처를 나열합니다.",
    ),
    "compare.instrument": ("Instrument", "규범"),
    "compare.as_of": ("As of (YYYY-MM-DD)", "기준일 (YYYY-MM-DD)"),
    "compare.show": ("Show", "보기"),
    "compare.dimension": ("dimension", "항목"),
    "compare.too_many": (
        "compare at most {n} instruments at once",
        "한 번에 최대 {n}개까지 비교할 수 있습니다",
    ),
    "compare.note": (
        "Penalties are in each regime's own currency; no conversion is applied.",
        "제재 금액은 각 규범의 통화 그대로이며 환산하지 않습니다.",
    ),
    "compare.error": ("Cannot compare", "비교할 수 없습니다"),
    # compare's own words inside the cells (keys of aigovkg.analysis.compare.PHRASES)
    "phrase.status": (
        "{status} since {since} (as of {as_of})",
        "{since}부터 {status} ({as_of} 기준)",
    ),
    "phrase.as_amended": ("; as amended", "; 개정 반영"),
    "phrase.as_amended_by": ("; as amended by {by}", "; 개정 반영: {by}"),
    "phrase.no_event": ("no recorded event by {as_of}", "{as_of}까지 기록된 사건 없음"),
    "phrase.turnover": ("{percent}% of worldwide annual turnover", "전 세계 연 매출의 {percent}%"),
    "phrase.or": (" or ", " 또는 "),
    "phrase.binding": ("binding", "구속력 있음"),
    "phrase.non-binding": ("non-binding", "구속력 없음"),
    "phrase.match.exactMatch": ("exact match", "정확 대응"),
    "phrase.match.closeMatch": ("close match", "근사 대응"),
    "phrase.match.broadMatch": ("broader than", "더 넓은 개념:"),
    "phrase.match.narrowMatch": ("narrower than", "더 좁은 개념:"),
    "phrase.match.relatedMatch": ("related to", "관련:"),
    "dim.type": ("type", "유형"),
    "dim.legally binding": ("legally binding", "법적 구속력"),
    "dim.jurisdiction": ("jurisdiction", "관할"),
    "dim.issued by": ("issued by", "발행 주체"),
    "dim.status": ("status", "상태"),
    "dim.key dates": ("key dates", "주요 날짜"),
    "dim.risk tiers": ("risk tiers", "위험 등급"),
    "dim.obligation types": ("obligation types", "의무 유형"),
    "dim.prohibited practices": ("prohibited practices", "금지 행위"),
    "dim.maximum penalties": ("maximum penalties", "최대 제재"),
    "dim.competent authority": ("competent authority", "소관 기관"),
    "dim.principles": ("principles", "원칙"),
    "dim.crosswalk": ("crosswalk", "규범 간 대응"),
    "summits.title": ("Summit participation", "정상회의 참여"),
    "summits.intro": (
        "Who signed, endorsed, joined later or declined each summit document. 'not in "
        "incomplete list' means the graph holds only part of the published list, so absence "
        "says nothing; 'did not sign' is absence from a complete list.",
        "각 정상회의 문서에 누가 서명·지지·추후 가입·거부했는지입니다. '불완전 명단에 없음'은 "
        "그래프가 공개 명단의 일부만 담고 있어 부재가 아무것도 뜻하지 않음을, '서명 안 함'은 "
        "완전한 명단에 없음을 뜻합니다.",
    ),
    "cell.signed": ("signed", "서명"),
    "cell.endorsed": ("endorsed", "지지"),
    "cell.joined-later": ("joined later", "추후 가입"),
    "cell.ratified": ("ratified", "비준"),
    "cell.acceded": ("acceded", "가입"),
    "cell.adhered": ("adhered", "준수 선언"),
    "cell.declined": ("declined", "거부"),
    "cell.did not sign": ("did not sign", "서명 안 함"),
    "cell.not in incomplete list": ("not in incomplete list", "불완전 명단에 없음"),
    # graph views
    "viz.title": ("Graph views", "그래프 보기"),
    "viz.heading": ("Interactive graph views", "대화형 그래프 보기"),
    "viz.intro": (
        "Self-contained pages (no network): filter by class, jurisdiction, summit or status, "
        "search a node, click it to see its facts and the sources behind them. The same files "
        "are in dist/viz/ after aigovkg build and open from disk.",
        "네트워크 없이 열리는 독립 페이지입니다. 클래스·관할·정상회의·상태로 거르고, 노드를 "
        "찾아 누르면 사실과 그 출처가 보입니다. aigovkg build 후 dist/viz/에 같은 파일이 있어 "
        "디스크에서 열 수 있습니다.",
    ),
    "view.full": ("The whole graph", "그래프 전체"),
    "view.summits": (
        "Summit participation: parties and documents, edges by role",
        "정상회의 참여: 당사자와 문서, 역할별 연결",
    ),
    "view.regimes": (
        "Regimes: instruments, risk tiers, obligation types, crosswalk links",
        "규범: 규범, 위험 등급, 의무 유형, 규범 간 대응",
    ),
    "view.ontology": ("The ontology's classes and properties", "온톨로지의 클래스와 속성"),
    "view.no_such": ("No such view.", "그런 보기가 없습니다."),
    # the interactive graph views (viz/template.html, viz/viz.js), written once per language
    "vizui.nodes": ("nodes", "노드"),
    "vizui.edges": ("edges", "연결"),
    "vizui.controls": ("Controls", "조작"),
    "vizui.find": ("Find a node", "노드 찾기"),
    "vizui.find_placeholder": ("label or IRI, then Enter", "이름 또는 IRI 입력 후 Enter"),
    "vizui.labels": ("Labels", "표시 언어"),
    "vizui.size_by_degree": ("size by degree", "연결 수에 따른 크기"),
    "vizui.physics": ("physics", "물리 시뮬레이션"),
    "vizui.fit": ("Fit", "화면에 맞추기"),
    "vizui.export": ("Export PNG", "PNG로 내보내기"),
    "vizui.jurisdiction": ("Jurisdiction", "관할"),
    "vizui.summit": ("Summit", "정상회의"),
    "vizui.status": ("Instrument status", "규범 상태"),
    "vizui.any": ("any", "전체"),
    "vizui.classes": ("Classes", "클래스"),
    "vizui.graph": ("Graph", "그래프"),
    "vizui.details": ("Details", "세부 정보"),
    "vizui.hint": (
        "Click a node to see its facts and their sources.",
        "노드를 누르면 사실과 그 출처가 보입니다.",
    ),
    "vizui.sources": ("Sources", "출처"),
    "vizui.sources_colon": ("sources:", "출처:"),
    "vizui.links": ("Links in this view", "이 보기의 연결"),
    "vizui.facts": ("Facts", "사실"),
    "vizui.hidden": ("found, but hidden by a filter", "찾았지만 필터에 의해 숨겨져 있습니다"),
    "vizui.no_match": ("no match", "일치하는 항목 없음"),
    "vizui.as_of": ("as of {date}", "{date} 기준"),
    "vizui.title.full": ("The whole graph", "그래프 전체"),
    "vizui.title.summits": (
        "Summit participation: parties and documents",
        "정상회의 참여: 당사자와 문서",
    ),
    "vizui.title.regimes": (
        "Regimes: instruments, risk tiers, obligation types and crosswalks",
        "규범: 규범, 위험 등급, 의무 유형, 규범 간 대응",
    ),
    "vizui.title.ontology": ("The ontology: classes and properties", "온톨로지: 클래스와 속성"),
    "vizui.around": ("{title}, around {node}", "{title}, {node} 주변"),
    "vizui.budget": (
        "Showing the {shown} most connected of {total} nodes ({edges} of {total_edges} "
        "edges). Not drawn: {left_out}. Use --focus NAME for one entity's neighbourhood, "
        "or a narrower view.",
        "노드 {total}개 중 연결이 가장 많은 {shown}개를 보여 줍니다(연결 {total_edges}개 중 "
        "{edges}개). 그리지 않은 것: {left_out}. 한 개체의 주변만 보려면 --focus NAME을, "
        "아니면 더 좁은 보기를 쓰세요.",
    ),
    # errors
    "error.title": ("Error", "오류"),
    "error.404": ("Not found", "찾을 수 없음"),
    "error.400": ("Bad request", "잘못된 요청"),
    "error.405": ("Method not allowed", "허용되지 않는 메서드"),
    "error.406": ("Not acceptable", "제공할 수 없는 형식"),
    "error.500": ("Server error", "서버 오류"),
    "error.no_page": ("There is no page at {path}.", "{path}에는 페이지가 없습니다."),
    "error.method": (
        "This address does not answer {method} requests.",
        "이 주소는 {method} 요청에 응답하지 않습니다.",
    ),
    "error.formats": (
        "This page is not offered in the format asked for. It is offered as:",
        "요청한 형식으로는 이 페이지를 제공하지 않습니다. 제공하는 형식:",
    ),
    "error.server": (
        "Something went wrong on the server; the error has been logged. Please try again later.",
        "서버에서 오류가 발생했습니다. 오류는 기록되었습니다. 잠시 후 다시 시도해 주세요.",
    ),
    "error.home": ("Back to the home page", "홈으로 돌아가기"),
    "ontology.title": ("Ontology documentation", "온톨로지 문서"),
    "ontology.note": (
        "Generated from the ontology by pyLODE. The terms' definitions are written in "
        "English and pyLODE has no interface in other languages, so the documentation "
        "below is in English.",
        "pyLODE가 온톨로지에서 생성한 문서입니다. 용어의 정의가 영어로 작성되어 있고 pyLODE는 "
        "다른 언어 인터페이스를 제공하지 않으므로 아래 문서는 영어로 되어 있습니다.",
    ),
    "ontology.not_built": (
        "The ontology documentation was not built (run aigovkg build).",
        "온톨로지 문서가 빌드되지 않았습니다(aigovkg build를 실행하세요).",
    ),
    "error.502": ("Store error", "저장소 오류"),
    "error.503": ("Store unavailable", "저장소에 연결할 수 없음"),
    "error.504": ("Store timed out", "저장소 응답 시간 초과"),
}


def language_of(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The interface language for a request (see the module docstring for the order)."""
    for chosen in (query, cookie):
        if chosen and chosen.strip().lower() in LANGUAGES:
            return chosen.strip().lower()
    if accept_language:
        ranges: list[tuple[float, int, str]] = []
        for position, part in enumerate(accept_language.split(",")):
            tag, *params = (p.strip() for p in part.split(";"))
            quality = 1.0
            for param in params:
                name, _, value = param.partition("=")
                if name.strip() == "q":
                    try:
                        quality = float(value)
                    except ValueError:
                        quality = 0.0
            ranges.append((-quality, position, tag.lower().split("-")[0]))
        for negative_quality, _, primary in sorted(ranges):
            if negative_quality < 0 and primary in LANGUAGES:
                return primary
    return DEFAULT


@dataclass(frozen=True)
class Translator:
    """The interface text of one language, for templates and page code."""

    language: str

    def __call__(self, key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            return MISSING.format(key=key)
        text = pair[LANGUAGES.index(self.language)]
        return text.format(**values) if values else text

    def maybe(self, prefix: str, value: str) -> str:
        """A data word with a translation (`cell.signed`), else the word as it is."""
        return self(f"{prefix}.{value}") if f"{prefix}.{value}" in MESSAGES else value


def editor_words(language: str) -> list[tuple[str, str]]:
    """The editor's own words for query.js: (YASGUI's English, this language's), patterns with
    `{name}` included; nothing for English."""
    if language == DEFAULT:
        return []
    index = LANGUAGES.index(language)
    return [(pair[0], pair[index]) for key, pair in MESSAGES.items() if key.startswith("editor.")]


def switch_links(path: str, params: Mapping[str, str] | list[tuple[str, str]]) -> dict[str, str]:
    """The same page in each language: the query string kept, `lang` replaced."""
    items = params.items() if isinstance(params, Mapping) else params
    kept = [(k, v) for k, v in items if k != "lang"]
    return {lang: path + "?" + urlencode([*kept, ("lang", lang)]) for lang in LANGUAGES}
