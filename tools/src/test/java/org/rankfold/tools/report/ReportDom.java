package org.rankfold.tools.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The report parsed as XML (it is polyglot HTML5): a parse failure is itself a test failure (an unclosed
 * tag or an unescaped {@code <} or {@code &} in the text). No DTD or external entity is loaded.
 */
final class ReportDom {
    final Document doc;

    ReportDom(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setExpandEntityReferences(false);
        doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    /** Every element named {@code tag} under {@code root} (the document when null). */
    List<Element> all(Element root, String tag) {
        NodeList n = root == null ? doc.getElementsByTagName(tag) : root.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < n.getLength(); i++) {
            out.add((Element) n.item(i));
        }
        return out;
    }

    /** The figures with {@code data-kind = kind}. */
    List<Element> figures(String kind) {
        return all(null, "figure").stream().filter(e -> e.getAttribute("data-kind").equals(kind)).toList();
    }

    /** Elements named {@code tag} under {@code root} whose class attribute is {@code cls}. */
    List<Element> withClass(Element root, String tag, String cls) {
        return all(root, tag).stream().filter(e -> e.getAttribute("class").equals(cls)).toList();
    }
}
