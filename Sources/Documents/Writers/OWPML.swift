/// The fixed parts of an HWPX package written by `HWPXWriter` (OWPML, KS X 6101): the mimetype,
/// version, container and manifest files, settings, and a `header.xml` whose reference lists
/// give every style the writer uses. Fonts are a Korean set for every language slot (맑은 고딕
/// for Hangul and Latin text, 함초롬바탕 as the second face), so Korean renders as Korean.
enum OWPML {
    static let mimetype = "application/hwp+zip"
    static let namespaces = """
        xmlns:ha="http://www.hancom.co.kr/hwpml/2011/app" xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hp10="http://www.hancom.co.kr/hwpml/2016/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hc="http://www.hancom.co.kr/hwpml/2011/core" xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head" xmlns:hhs="http://www.hancom.co.kr/hwpml/2011/history" xmlns:hm="http://www.hancom.co.kr/hwpml/2011/master-page" xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf/" xmlns:ooxmlchart="http://www.hancom.co.kr/hwpml/2016/ooxmlchart" xmlns:hwpunitchar="http://www.hancom.co.kr/hwpml/2016/HwpUnitChar" xmlns:epub="http://www.idpf.org/2007/ops" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"
        """
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\" ?>"

    static let version = declaration + """
        <hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" tagetApplication="WORDPROCESSOR" major="5" minor="1" micro="1" buildNumber="0" os="1" xmlVersion="1.5" application="Baton" appVersion="1, 0, 0, 0"/>
        """

    static let settings = declaration + """
        <ha:HWPApplicationSetting xmlns:ha="http://www.hancom.co.kr/hwpml/2011/app" xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"><ha:CaretPosition listIDRef="0" paraIDRef="0" pos="0"/></ha:HWPApplicationSetting>
        """

    static let container = declaration + """
        <ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf"><ocf:rootfiles><ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/><ocf:rootfile full-path="Preview/PrvText.txt" media-type="text/plain"/></ocf:rootfiles></ocf:container>
        """

    static let manifest = declaration + "<odf:manifest xmlns:odf=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>"

    static func content(title: String?) -> String {
        declaration + """
            <opf:package \(namespaces) version="" unique-identifier="" id=""><opf:metadata><opf:title>\(DOCXWriter.escape(title ?? ""))</opf:title><opf:language>ko</opf:language><opf:meta name="creator" content="text">Baton</opf:meta></opf:metadata><opf:manifest><opf:item id="header" href="Contents/header.xml" media-type="application/xml"/><opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/><opf:item id="settings" href="settings.xml" media-type="application/xml"/></opf:manifest><opf:spine><opf:itemref idref="header" linear="yes"/><opf:itemref idref="section0" linear="yes"/></opf:spine></opf:package>
            """
    }

    // Reference ids the section uses.
    /// Paragraph shapes: 0 body text, 1-6 outline headings (level 1-6), 7-15 bulleted items
    /// (level 1-9), 16-24 numbered items (level 1-9).
    static func paragraphShape(heading level: Int) -> Int { min(max(level, 1), 6) }
    static func paragraphShape(listLevel level: Int, ordered: Bool) -> Int { (ordered ? 16 : 7) + min(max(level, 1), 9) - 1 }
    /// Character shapes: 0 regular, 1 bold, 2 italic, 3 bold italic; 4-9 the headings' sizes (bold).
    static func characterShape(bold: Bool, italic: Bool) -> Int { (bold ? 1 : 0) + (italic ? 2 : 0) }
    static func characterShape(heading level: Int) -> Int { 3 + min(max(level, 1), 6) }

    static var header: String {
        let languages = ["HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER"]
        let fontfaces = languages.map { language in
            "<hh:fontface lang=\"\(language)\" fontCnt=\"2\">" + ["맑은 고딕", "함초롬바탕"].enumerated().map { id, face in
                "<hh:font id=\"\(id)\" face=\"\(face)\" type=\"TTF\" isEmbedded=\"0\"><hh:typeInfo familyType=\"FCAT_GOTHIC\" weight=\"6\" proportion=\"4\" contrast=\"0\" strokeVariation=\"1\" armStyle=\"1\" letterform=\"1\" midline=\"1\" xHeight=\"1\"/></hh:font>"
            }.joined() + "</hh:fontface>"
        }.joined()
        let border = { (id: Int, line: String) in
            "<hh:borderFill id=\"\(id)\" threeD=\"0\" shadow=\"0\" centerLine=\"NONE\" breakCellSeparateLine=\"0\"><hh:slash type=\"NONE\" Crooked=\"0\" isCounter=\"0\"/><hh:backSlash type=\"NONE\" Crooked=\"0\" isCounter=\"0\"/>"
                + ["leftBorder", "rightBorder", "topBorder", "bottomBorder"].map { "<hh:\($0) type=\"\(line)\" width=\"0.12 mm\" color=\"#000000\"/>" }.joined()
                + "<hh:diagonal type=\"SOLID\" width=\"0.1 mm\" color=\"#000000\"/></hh:borderFill>"
        }
        func all(_ value: String) -> String { languages.map { "\($0.lowercased())=\"\(value)\"" }.joined(separator: " ") }
        func characterShape(id: Int, height: Int, bold: Bool, italic: Bool) -> String {
            "<hh:charPr id=\"\(id)\" height=\"\(height)\" textColor=\"#000000\" shadeColor=\"none\" useFontSpace=\"0\" useKerning=\"0\" symMark=\"NONE\" borderFillIDRef=\"1\">"
                + "<hh:fontRef \(all("0"))/><hh:ratio \(all("100"))/><hh:spacing \(all("0"))/><hh:relSz \(all("100"))/><hh:offset \(all("0"))/>"
                + (italic ? "<hh:italic/>" : "") + (bold ? "<hh:bold/>" : "")
                + "<hh:underline type=\"NONE\" shape=\"SOLID\" color=\"#000000\"/><hh:strikeout shape=\"NONE\" color=\"#000000\"/><hh:outline type=\"NONE\"/><hh:shadow type=\"NONE\" color=\"#C0C0C0\" offsetX=\"10\" offsetY=\"10\"/></hh:charPr>"
        }
        var characterShapes = (0..<4).map { characterShape(id: $0, height: 1000, bold: $0 & 1 != 0, italic: $0 & 2 != 0) }
        characterShapes += [1600, 1400, 1300, 1200, 1100, 1100].enumerated().map { characterShape(id: 4 + $0.offset, height: $0.element, bold: true, italic: false) }
        func paragraphShape(id: Int, heading: String, idRef: Int, level: Int, left: Int) -> String {
            let margin = "<hh:margin><hc:intent value=\"0\" unit=\"HWPUNIT\"/><hc:left value=\"\(left)\" unit=\"HWPUNIT\"/><hc:right value=\"0\" unit=\"HWPUNIT\"/><hc:prev value=\"0\" unit=\"HWPUNIT\"/><hc:next value=\"0\" unit=\"HWPUNIT\"/></hh:margin><hh:lineSpacing type=\"PERCENT\" value=\"160\" unit=\"HWPUNIT\"/>"
            return "<hh:paraPr id=\"\(id)\" tabPrIDRef=\"0\" condense=\"0\" fontLineHeight=\"0\" snapToGrid=\"1\" suppressLineNumbers=\"0\" checked=\"0\" textDir=\"LTR\"><hh:align horizontal=\"JUSTIFY\" vertical=\"BASELINE\"/>"
                + "<hh:heading type=\"\(heading)\" idRef=\"\(idRef)\" level=\"\(level)\"/><hh:breakSetting breakLatinWord=\"KEEP_WORD\" breakNonLatinWord=\"BREAK_WORD\" widowOrphan=\"0\" keepWithNext=\"0\" keepLines=\"0\" pageBreakBefore=\"0\" lineWrap=\"BREAK\"/><hh:autoSpacing eAsianEng=\"0\" eAsianNum=\"0\"/>"
                + "<hp:switch><hp:case hp:required-namespace=\"http://www.hancom.co.kr/hwpml/2016/HwpUnitChar\">\(margin)</hp:case><hp:default>\(margin)</hp:default></hp:switch>"
                + "<hh:border borderFillIDRef=\"1\" offsetLeft=\"0\" offsetRight=\"0\" offsetTop=\"0\" offsetBottom=\"0\" connect=\"0\" ignoreMargin=\"0\"/></hh:paraPr>"
        }
        var paragraphShapes = [paragraphShape(id: 0, heading: "NONE", idRef: 0, level: 0, left: 0)]
        paragraphShapes += (1...6).map { paragraphShape(id: $0, heading: "OUTLINE", idRef: 0, level: $0 - 1, left: 0) }
        paragraphShapes += (1...9).map { paragraphShape(id: 6 + $0, heading: "BULLET", idRef: 1, level: $0 - 1, left: 2000 * $0) }
        paragraphShapes += (1...9).map { paragraphShape(id: 15 + $0, heading: "NUMBER", idRef: 1, level: $0 - 1, left: 2000 * $0) }
        let numberHeads = (1...10).map { level in
            "<hh:paraHead start=\"1\" level=\"\(level)\" align=\"LEFT\" useInstWidth=\"1\" autoIndent=\"1\" widthAdjust=\"0\" textOffsetType=\"PERCENT\" textOffset=\"50\" numFormat=\"DIGIT\" charPrIDRef=\"4294967295\" checkable=\"0\">^\(level).</hh:paraHead>"
        }.joined()
        return declaration + """
            <hh:head \(namespaces) version="1.5" secCnt="1"><hh:beginNum page="1" footnote="1" endnote="1" pic="1" tbl="1" equation="1"/><hh:refList><hh:fontfaces itemCnt="\(languages.count)">\(fontfaces)</hh:fontfaces><hh:borderFills itemCnt="2">\(border(1, "NONE"))\(border(2, "SOLID"))</hh:borderFills><hh:charProperties itemCnt="\(characterShapes.count)">\(characterShapes.joined())</hh:charProperties><hh:tabProperties itemCnt="1"><hh:tabPr id="0" autoTabLeft="0" autoTabRight="0"/></hh:tabProperties><hh:numberings itemCnt="1"><hh:numbering id="1" start="0">\(numberHeads)</hh:numbering></hh:numberings><hh:bullets itemCnt="1"><hh:bullet id="1" char="•" useImage="0"><hh:paraHead level="0" align="LEFT" useInstWidth="0" autoIndent="1" widthAdjust="0" textOffsetType="PERCENT" textOffset="50" numFormat="DIGIT" charPrIDRef="4294967295" checkable="0"/></hh:bullet></hh:bullets><hh:paraProperties itemCnt="\(paragraphShapes.count)">\(paragraphShapes.joined())</hh:paraProperties><hh:styles itemCnt="1"><hh:style id="0" type="PARA" name="바탕글" engName="Normal" paraPrIDRef="0" charPrIDRef="0" nextStyleIDRef="0" langID="1042" lockForm="0"/></hh:styles></hh:refList><hh:compatibleDocument targetProgram="HWP201X"><hh:layoutCompatibility/></hh:compatibleDocument><hh:docOption><hh:linkinfo path="" pageInherit="0" footnoteInherit="0"/></hh:docOption><hh:trackchageConfig flags="56"/></hh:head>
            """
    }

    /// The section properties Hangul expects in the first paragraph's first run: A4 portrait,
    /// its usual margins, one column.
    static let sectionProperties = """
        <hp:secPr id="" textDirection="HORIZONTAL" spaceColumns="1134" tabStop="8000" tabStopVal="4000" tabStopUnit="HWPUNIT" outlineShapeIDRef="1" memoShapeIDRef="0" textVerticalWidthHead="0" masterPageCnt="0"><hp:grid lineGrid="0" charGrid="0" wonggojiFormat="0"/><hp:startNum pageStartsOn="BOTH" page="0" pic="0" tbl="0" equation="0"/><hp:visibility hideFirstHeader="0" hideFirstFooter="0" hideFirstMasterPage="0" border="SHOW_ALL" fill="SHOW_ALL" hideFirstPageNum="0" hideFirstEmptyLine="0" showLineNumber="0"/><hp:lineNumberShape restartType="0" countBy="0" distance="0" startNumber="0"/><hp:pagePr landscape="WIDELY" width="59528" height="84186" gutterType="LEFT_ONLY"><hp:margin header="4252" footer="4252" gutter="0" left="8504" right="8504" top="5668" bottom="4252"/></hp:pagePr><hp:footNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/><hp:noteLine length="-1" type="SOLID" width="0.12 mm" color="#000000"/><hp:noteSpacing betweenNotes="283" belowLine="567" aboveLine="850"/><hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="EACH_COLUMN" beneathText="0"/></hp:footNotePr><hp:endNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/><hp:noteLine length="14692344" type="SOLID" width="0.12 mm" color="#000000"/><hp:noteSpacing betweenNotes="0" belowLine="567" aboveLine="850"/><hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="END_OF_DOCUMENT" beneathText="0"/></hp:endNotePr><hp:pageBorderFill type="BOTH" borderFillIDRef="1" textBorder="PAPER" headerInside="0" footerInside="0" fillArea="PAPER"><hp:offset left="1417" right="1417" top="1417" bottom="1417"/></hp:pageBorderFill></hp:secPr><hp:ctrl><hp:colPr id="" type="NEWSPAPER" layout="LEFT" colCount="1" sameSz="1" sameGap="0"/></hp:ctrl>
        """
}
